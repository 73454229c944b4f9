using AdaptLab.Metrics.Evaluation;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AdaptLab.Metrics.Judges;

/// <summary>
/// LLM-as-judge, pointwise: the judge model (the <see cref="ChatConfiguration"/>'s client) grades one response by a
/// rubric on a numeric scale. A reply the judge did not end with <c>Score: N</c> on the scale gives a metric with no
/// value and an error diagnostic that quotes it, never a zero. A <see cref="MetricReferenceContext"/> adds the reference.
/// </summary>
/// <param name="options">The judge's call settings (a seed per repeat, for self-agreement).</param>
public sealed class RubricJudgeEvaluator(string name, string rubric, double min, double max, ChatOptions? options = null) : IEvaluator
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
        if (chatConfiguration is null)
        {
            metric.AddDiagnostics(EvaluationDiagnostic.Error($"{name}: a judge needs a model; pass a {nameof(ChatConfiguration)}"));
            return new EvaluationResult(metric);
        }

        var references = additionalContext?.OfType<MetricReferenceContext>().FirstOrDefault()?.References;
        var prompt = JudgePrompts.Pointwise(rubric, messages, modelResponse.Text, references, min, max);
        var reply = await chatConfiguration.ChatClient.GetResponseAsync(prompt, options, cancellationToken);
        var (score, error) = JudgeReply.Score(reply.Text, min, max);
        metric.Value = score;
        metric.Reason = reply.Text.Trim();
        if (error is not null)
        {
            metric.AddDiagnostics(EvaluationDiagnostic.Error(error));
        }

        return new EvaluationResult(metric);
    }
}
