using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AdaptLab.Metrics.Evaluation;

/// <summary>
/// Lets Microsoft.Extensions.AI.Evaluation users score a response with any AdaptLab metric. Each
/// call scores one item: the prediction is the response text, the references come from a
/// <see cref="MetricReferenceContext"/>. The metric's failure reason becomes the result's reason
/// and an informational diagnostic; missing references are reported as an error diagnostic, as
/// MEAI evaluators do rather than throwing.
/// </summary>
public sealed class MetricEvaluator(IMetric metric) : IEvaluator
{
    public IReadOnlyCollection<string> EvaluationMetricNames { get; } = [metric.Name];

    public ValueTask<EvaluationResult> EvaluateAsync(
        IEnumerable<ChatMessage> messages,
        ChatResponse modelResponse,
        ChatConfiguration? chatConfiguration = null,
        IEnumerable<EvaluationContext>? additionalContext = null,
        CancellationToken cancellationToken = default)
    {
        var result = new NumericMetric(metric.Name);
        var context = additionalContext?.OfType<MetricReferenceContext>().FirstOrDefault();
        if (context is null)
        {
            result.AddDiagnostics(EvaluationDiagnostic.Error(
                $"{metric.Name}: no {nameof(MetricReferenceContext)} was passed in the additional context, so there is nothing to compare with"));
            return ValueTask.FromResult(new EvaluationResult(result));
        }

        var item = new MetricItem(modelResponse.Text, context.References) { Fields = context.Fields };
        var value = metric.Compute([item]);
        result.Value = value.Value;
        result.AddOrUpdateContext(context);
        if (value.Reasons is [{ } reason])
        {
            result.Reason = reason;
            result.AddDiagnostics(EvaluationDiagnostic.Informational(reason));
        }

        if (metric.Shape == MetricShape.MeanOfBinary)
        {
            var passed = value.Value == 1;
            result.Interpretation = new EvaluationMetricInterpretation(
                passed ? EvaluationRating.Exceptional : EvaluationRating.Unacceptable, failed: !passed, reason: value.Reasons?[0]);
        }

        return ValueTask.FromResult(new EvaluationResult(result));
    }
}
