using AdaptLab.Core.Tasks;
using AdaptLab.Metrics.Statistics;

namespace AdaptLab.Core.Readiness;

internal enum Verdict
{
    Ready,
    ReadyWithWarnings,
    NotReady,
}

internal enum Severity
{
    /// <summary>Makes the data not ready: a fine-tune measured on it would not be trustworthy.</summary>
    Blocker,
    Warning,
}

/// <summary>What <c>adaptlab readiness</c> found, per split and across them, and what it concludes.</summary>
/// <param name="Tokenizer">What lengths are counted in: the local model's own tokenizer, or o200k_base.</param>
/// <param name="Detectable">The lift the test split's size can detect (two independent proportions at 0.5, the widest case).</param>
/// <param name="NeededForFivePoints">Test items per variant needed to detect +5 points from 0.5 with the same test.</param>
internal sealed record ReadinessReport(
    string Task,
    TaskKind Kind,
    string Tokenizer,
    int? ContextWindow,
    IReadOnlyList<SplitStats> Splits,
    IReadOnlyList<Finding> Findings,
    Verdict Verdict,
    PowerPlan? Detectable,
    PowerPlan NeededForFivePoints);

/// <param name="Labels">Items per label (classification), most frequent first.</param>
/// <param name="Imbalance">The most frequent label's count over the least frequent's.</param>
internal sealed record SplitStats(
    string Split,
    string Path,
    int Items,
    IReadOnlyList<LabelCount>? Labels,
    double? Imbalance,
    LengthStats InputTokens,
    LengthStats ExpectedTokens,
    int ExactDuplicates,
    int NearDuplicates,
    int ConflictingLabels,
    IReadOnlyDictionary<PiiKind, int> Pii);

internal sealed record LabelCount(string Label, int Items);

internal sealed record LengthStats(int Min, int P50, int P95, int Max, double Mean);

/// <param name="Code">A stable name for the kind of finding, e.g. <c>leakage.exact</c>.</param>
/// <param name="Examples">A few of the items concerned, by split, id and what was found (personal data masked).</param>
internal sealed record Finding(Severity Severity, string Code, string Message, int Count, IReadOnlyList<string> Examples);
