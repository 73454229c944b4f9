using AdaptLab.Metrics.Evaluation;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AdaptLab.Metrics.Judges;

/// <summary>
/// LLM-as-judge, pairwise: the judge says which of two responses the rubric prefers. The value is the evaluated
/// response's result, 1 (won), 0.5 (tie) or 0 (lost), whichever position it was shown in (<see cref="PairwiseContext"/>);
/// a reply with no <c>Winner:</c> line has no value and an error diagnostic.
/// </summary>
public sealed class PairwiseJudgeEvaluator(string name, string rubric, ChatOptions? options = null) : IEvaluator
{
    public IReadOnlyCollection<string> EvaluationMetricNames { get; } = [name];

    public async ValueTask<EvaluationResult> EvaluateAsync(
        IEnumerable<ChatMessage> messages,
        ChatResponse modelResponse,
        ChatConfiguration? chatConfiguration = null,
        IEnumerable<EvaluationContext>? additionalContext = null,
        CancellationToken cancellationToken = default)
    {
        var metric = new NumericMetric(name);
        var pair = additionalContext?.OfType<PairwiseContext>().FirstOrDefault();
        if (chatConfiguration is null || pair is null)
        {
            metric.AddDiagnostics(EvaluationDiagnostic.Error($"{name}: a pairwise judge needs a model ({nameof(ChatConfiguration)}) and the other response ({nameof(PairwiseContext)})"));
            return new EvaluationResult(metric);
        }

        var references = additionalContext?.OfType<MetricReferenceContext>().FirstOrDefault()?.References;
        var (first, second) = pair.EvaluatedSecond ? (pair.Other, modelResponse.Text) : (modelResponse.Text, pair.Other);
        var reply = await chatConfiguration.ChatClient.GetResponseAsync(JudgePrompts.Pairwise(rubric, messages, first, second, references), options, cancellationToken);
        var (winner, error) = JudgeReply.Winner(reply.Text);
        metric.Reason = reply.Text.Trim();
        metric.Value = winner switch
        {
            "tie" => 0.5,
            "A" => pair.EvaluatedSecond ? 0 : 1,
            "B" => pair.EvaluatedSecond ? 1 : 0,
            _ => null,
        };
        metric.AddDiagnostics(error is null
            ? EvaluationDiagnostic.Informational($"the evaluated response was shown as {(pair.EvaluatedSecond ? "B" : "A")}; the judge chose {winner}")
            : EvaluationDiagnostic.Error(error));
        return new EvaluationResult(metric);
    }
}
