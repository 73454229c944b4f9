using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AdaptLab.Metrics.Evaluation;

/// <summary>
/// The expected output(s) of the item being evaluated, passed to <see cref="MetricEvaluator"/> as
/// additional context. <see cref="Fields"/> carries other dataset columns a metric may read.
/// </summary>
public sealed class MetricReferenceContext : EvaluationContext
{
    public const string ContextName = "AdaptLab references";

    public MetricReferenceContext(IReadOnlyList<string> references, IReadOnlyDictionary<string, string>? fields = null)
        : base(ContextName, references.Select(r => (AIContent)new TextContent(r)).ToArray())
    {
        if (references.Count == 0)
        {
            throw new ArgumentException("at least one reference is needed", nameof(references));
        }

        References = references;
        Fields = fields ?? new Dictionary<string, string>();
    }

    public MetricReferenceContext(string reference)
        : this([reference])
    {
    }

    public IReadOnlyList<string> References { get; }

    public IReadOnlyDictionary<string, string> Fields { get; }
}
