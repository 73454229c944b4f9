using AdaptLab.Core.Readiness;
using AdaptLab.Core.Store;

namespace AdaptLab.Core.Decision;

/// <summary>The measured ladder as the recommendation reads it.</summary>
/// <param name="Metric">The primary metric: the first with a target, else the task's first.</param>
/// <param name="FullScale">The metric's perfect value as stored (1 or 100), to print points on 0-100.</param>
/// <param name="Rungs">The climbed rungs, cheapest first.</param>
/// <param name="NotClimbed">Rungs planned but not measured, with the reason (targets met below, no training data, a constraint); none for a rung the climb has not reached yet.</param>
/// <param name="Readiness">The training data's verdict; null when the task has no train split.</param>
/// <param name="Blockers">The readiness findings that make the data not ready.</param>
internal sealed record DecisionInput(
    string Metric,
    bool HigherIsBetter,
    double FullScale,
    IReadOnlyList<RungEvidence> Rungs,
    IReadOnlyList<(RungKind Kind, RungSkip? Skip)> NotClimbed,
    Verdict? Readiness,
    IReadOnlyList<string> Blockers,
    BreakEven? BreakEven,
    ConstrainedProbe? Constrained = null);

/// <summary>The prompt rung answered again with the task's json_schema enforced while decoding.</summary>
/// <param name="Metric">The format metric (json_schema), on its own scale like the primary.</param>
/// <param name="MeetsTarget">Whether the probe meets every target of the task, where the primary metric is the format metric.</param>
/// <param name="Others">The task's other metrics under the constraint, which tell whether valid replies are right ones.</param>
internal sealed record ConstrainedProbe(string Metric, double Value, double? Lower, double? Upper, bool MeetsTarget, IReadOnlyList<ProbeMetric> Others);

/// <param name="Value">On the metric's own scale, <paramref name="FullScale"/> being perfect.</param>
internal sealed record ProbeMetric(string Metric, double Value, double FullScale, bool HigherIsBetter);
