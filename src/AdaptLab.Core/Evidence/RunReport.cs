using AdaptLab.Core.Store;
using AdaptLab.Metrics.Retrieval;

namespace AdaptLab.Core.Evidence;

/// <summary>Everything a report shows about one run; every renderer reads only this.</summary>
/// <param name="FullScales">Per metric, the value of a perfect score as stored (1 or 100); renderers show every
/// metric on 0-100 with it, while the data (and the task file's targets) keep each metric's own scale.</param>
internal sealed record RunReport(
    RunInfo Run,
    IReadOnlyList<string> Metrics,
    IReadOnlyList<VariantReport> Variants,
    IReadOnlyList<GateResult> Gates,
    IReadOnlyList<ComparisonRow> Comparisons,
    IReadOnlyList<ItemRow> Items,
    IReadOnlyDictionary<string, double> FullScales)
{
    public const string ScaleNote =
        "Scores are on a 0-100 scale: proportions, F-scores and ROUGE are multiplied by 100, BLEU, chrF and TER are sacrebleu's own 0-100.";

    public const string LabelNote =
        "Replies are matched to the label set exactly, then case- and punctuation-insensitively (also after a \"Label:\"-style prefix), " +
        "then as the one label quoted in a sentence; anything else is invalid and wrong for every metric, never mapped to a label. " +
        "F1 averages over the task's labels (declared, else seen in the data) as scikit-learn's f1_score(labels=..., zero_division=0): " +
        "an invalid reply is a miss of its gold label and no label's false positive.";

    public bool AllGatesPassed => Gates.All(g => g.Passed);

    /// <summary>The scale statement, in every rendering (the JSON too).</summary>
    public string Scale => ScaleNote;

    /// <summary>How classification replies were read and F1 averaged; null for other tasks.</summary>
    public string? LabelMatching => Variants.Any(v => v.InvalidLabels is not null) ? LabelNote : null;

    /// <summary>A stored value of <paramref name="metric"/> on the 0-100 scale reports use.</summary>
    public double? Points(string metric, double? value) =>
        value * 100 / FullScales.GetValueOrDefault(metric, 1);
}

internal sealed record VariantReport(
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
    double? CostPer1k,
    int? InvalidLabels = null,
    ClassTable? Classes = null,
    string? Pipeline = null,
    string? Identity = null)
{
    public double ErrorRate => Items == 0 ? 0 : (double)Errors / Items;
}

/// <param name="Target">The value the gate asks for; <paramref name="AtMost"/> tells the direction.</param>
/// <param name="Lower">The metric's 95% interval, for a metric target; null for other gates.</param>
/// <param name="OnInterval">The interval's bound decides (targets.require: interval), not the estimate.</param>
internal sealed record GateResult(string Variant, string Name, double Target, bool AtMost, double? Actual, bool Passed,
    double? Lower = null, double? Upper = null, bool OnInterval = false)
{
    /// <summary>The interval holds the target: more items could put the metric on either side of it.</summary>
    public bool Straddles => Lower <= Target && Target <= Upper;
}

/// <summary>A variant against the baseline (the first variant) on the items both answered.</summary>
/// <param name="Caution">Why the interval is unreliable (<see cref="AdaptLab.Metrics.Statistics.PairedComparison.Caution"/>), or null.</param>
internal sealed record ComparisonRow(
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
    string Method,
    string? Caution = null);

internal sealed record ItemRow(int Index, string Id, string Input, IReadOnlyList<string> Expected, IReadOnlyList<ItemOutput> Outputs);

/// <param name="Parsed">The output as the metrics read it (the matched label, the extracted JSON), or null for a failed call.</param>
/// <param name="Shots">The train ids of the few-shot examples the model was shown, in prompt order; null without few-shot.</param>
/// <param name="Chunks">The chunks the retrieve step put into the prompt, in rank order (numbered from 1 as answers cite them); null without retrieval.</param>
internal sealed record ItemOutput(
    string Variant, string? Output, string? Error, double? LatencyMs, IReadOnlyDictionary<string, ItemScore> Scores, string? Parsed = null,
    IReadOnlyList<string>? Shots = null, IReadOnlyList<RetrievedPassage>? Chunks = null);

/// <summary>Per-label scores and the confusion matrix of one variant of a classification run.</summary>
/// <param name="Confusion">Rows are gold labels, columns predicted labels, in <paramref name="Labels"/> order.</param>
/// <param name="Invalid">Per gold label, the replies that named no label.</param>
internal sealed record ClassTable(
    IReadOnlyList<string> Labels,
    IReadOnlyList<AdaptLab.Metrics.Classification.ClassScores> Rows,
    IReadOnlyList<IReadOnlyList<int>> Confusion,
    IReadOnlyList<int> Invalid);

internal sealed record ItemScore(double Value, string? Reason);
