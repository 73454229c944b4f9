using AdaptLab.Core.Store;

namespace AdaptLab.Core.Reports;

/// <summary>Everything a report shows about one run; every renderer reads only this.</summary>
public sealed record RunReport(
    RunInfo Run,
    IReadOnlyList<string> Metrics,
    IReadOnlyList<VariantReport> Variants,
    IReadOnlyList<GateResult> Gates,
    IReadOnlyList<ComparisonRow> Comparisons,
    IReadOnlyList<ItemRow> Items)
{
    public bool AllGatesPassed => Gates.All(g => g.Passed);
}

public sealed record VariantReport(
    string Name,
    string ModelRef,
    string PromptPath,
    string PromptHash,
    string PromptText,
    string? SystemPrompt,
    string Parameters,
    IReadOnlyList<MetricResult> Metrics,
    int Items,
    int Predicted,
    int Errors,
    int Cached,
    double? LatencyP50Ms,
    double? LatencyP95Ms,
    double? LatencyP99Ms,
    double? CostPer1k)
{
    public double ErrorRate => Items == 0 ? 0 : (double)Errors / Items;
}

/// <param name="Target">The value the gate asks for; <paramref name="AtMost"/> tells the direction.</param>
public sealed record GateResult(string Variant, string Name, double Target, bool AtMost, double? Actual, bool Passed);

/// <summary>A variant against the baseline (the first variant) on the items both answered.</summary>
public sealed record ComparisonRow(
    string Baseline,
    string Variant,
    string Metric,
    double Difference,
    double Lower,
    double Upper,
    double PValue,
    double AdjustedPValue,
    bool Significant,
    int N,
    string Method);

public sealed record ItemRow(int Index, string Id, string Input, IReadOnlyList<string> Expected, IReadOnlyList<ItemOutput> Outputs);

public sealed record ItemOutput(string Variant, string? Output, string? Error, double? LatencyMs, IReadOnlyDictionary<string, ItemScore> Scores);

public sealed record ItemScore(double Value, string? Reason);
