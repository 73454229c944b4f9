using AdaptLab.Core.Diagnosis;

namespace AdaptLab.Core.Decision;

/// <summary>Everything measured about one climbed rung that the recommendation may cite.</summary>
/// <param name="Value">The primary metric on the rung's items, on the metric's own scale, with its 95% interval.</param>
/// <param name="MeetsTargets">Whether every target of the task file is met; null when the task sets none.</param>
/// <param name="Missed">The targets missed, in words (e.g. "exact_match 0.62 &lt; 0.9").</param>
/// <param name="Lift">Against the best cheaper rung; null for the first rung.</param>
internal sealed record RungEvidence(
    RungKind Kind,
    string Variant,
    double Value,
    double? Lower,
    double? Upper,
    int N,
    bool? MeetsTargets,
    IReadOnlyList<string> Missed,
    Lift? Lift,
    RungCost Cost,
    FailureMix Failures)
{
    /// <summary>The rung's decoding temperature; null where the provider's default applies.</summary>
    public float? Temperature { get; init; }

    /// <summary>The task's other metrics on the rung, each on its own scale, for advice that must agree with all of them.</summary>
    public IReadOnlyDictionary<string, double> Others { get; init; } = new Dictionary<string, double>();
}
