using AdaptLab.Metrics.Judges;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AdaptLab.Metrics.Tests.Judges;

/// <summary>Reading a judge's verdict: the last verdict line counts; no line, or a score off the scale, is a failure with its reason.</summary>
public class JudgeReplyTests
{
    [Theory]
    [InlineData("The answer is right.\nScore: 4", 4.0)]
    [InlineData("Score: 2\nOn reflection, better.\n**Score:** 3", 3.0)]
    [InlineData("score : 5", 5.0)]
    public void The_last_score_line_is_the_verdict(string reply, double expected)
    {
        Assert.Equal((expected, null), JudgeReply.Score(reply, 1, 5));
    }

    [Theory]
    [InlineData("I would give it a four.", "no 'Score: N' line")]
    [InlineData("Score: 7", "off the scale 1-5")]
    public void A_reply_without_a_readable_score_is_a_failure_not_a_zero(string reply, string because)
    {
        var (score, error) = JudgeReply.Score(reply, 1, 5);

        Assert.Null(score);
        Assert.Contains(because, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Pairwise_verdicts_are_read_and_mapped_back_to_the_evaluated_response_whichever_position_it_had()
    {
        Assert.Equal(("B", null), JudgeReply.Winner("Both fine, B is closer.\nWinner: B"));
        Assert.Equal(("tie", null), JudgeReply.Winner("Winner: Tie"));
        Assert.NotNull(JudgeReply.Winner("B is better").Error);
    }

    [Theory]
    [InlineData(false, "Winner: A", 1.0)]
    [InlineData(true, "Winner: A", 0.0)]
    [InlineData(true, "Winner: B", 1.0)]
    [InlineData(false, "Winner: tie", 0.5)]
    public async Task The_pairwise_evaluator_scores_the_evaluated_response_not_a_position(bool shownSecond, string reply, double expected)
    {
        using var judge = new ScriptedJudge(reply);
        var evaluator = new PairwiseJudgeEvaluator("preference", "Prefer the correct label.");

        var result = await evaluator.EvaluateAsync([new ChatMessage(ChatRole.User, "q")], new ChatResponse(new ChatMessage(ChatRole.Assistant, "mine")),
            new ChatConfiguration(judge), [new PairwiseContext("other", shownSecond)]);

        Assert.Equal(expected, result.Get<NumericMetric>("preference").Value);
        Assert.Contains(shownSecond ? "## Response A\nother\n\n## Response B\nmine" : "## Response A\nmine\n\n## Response B\nother", judge.LastPrompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_rubric_evaluator_leaves_an_unreadable_verdict_without_a_value_and_says_why()
    {
        using var judge = new ScriptedJudge("Looks good to me.");

        var result = await new RubricJudgeEvaluator("helpful", "Is it helpful?", 1, 5).EvaluateAsync(
            [new ChatMessage(ChatRole.User, "q")], new ChatResponse(new ChatMessage(ChatRole.Assistant, "a")), new ChatConfiguration(judge));

        var metric = result.Get<NumericMetric>("helpful");
        Assert.Null(metric.Value);
        Assert.Contains(metric.Diagnostics!, d => d.Severity == EvaluationDiagnosticSeverity.Error && d.Message.Contains("no 'Score: N' line", StringComparison.Ordinal));
    }

    /// <summary>A judge model that replies with a fixed text, recording what it was asked.</summary>
    private sealed class ScriptedJudge(string reply) : IChatClient
    {
        public string LastPrompt { get; private set; } = string.Empty;

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            LastPrompt = string.Join("\n", messages.Select(m => m.Text));
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
