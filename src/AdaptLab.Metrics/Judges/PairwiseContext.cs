using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace AdaptLab.Metrics.Judges;

/// <summary>The response the evaluated one is compared with, and whether the evaluated one is shown second.</summary>
/// <param name="evaluatedSecond">Drawn per item by the caller (seeded), so that position favours neither variant.</param>
public sealed class PairwiseContext(string other, bool evaluatedSecond) : EvaluationContext(ContextName, [new TextContent(other)])
{
    public const string ContextName = "AdaptLab pairwise";

    public string Other { get; } = other;

    public bool EvaluatedSecond { get; } = evaluatedSecond;
}
