using AdaptLab.Core.Decision;
using System.Text.Json.Serialization;
using AdaptLab.Core.Store;

namespace AdaptLab.Core.Ladder;

/// <summary>Everything a study's report shows: the ladder, its intervals, the failure mix, the costs and the recommendation.</summary>
/// <param name="Metric">The primary metric the ladder is judged on.</param>
/// <param name="FullScale">The metric's perfect value as stored (1 or 100); reports show 0-100.</param>
/// <param name="Target">The task file's target for the metric, if any.</param>
/// <param name="Recommendation">As frozen when the climb ended (recomputed for a study still climbing).</param>
internal sealed record StudyReport(
    StudyInfo Study,
    string RunId,
    string Task,
    string Metric,
    bool HigherIsBetter,
    double FullScale,
    double? Target,
    IReadOnlyList<RungReport> Rungs,
    IReadOnlyList<ProbeResult> Probes,
    BreakEven? BreakEven,
    StudyReadiness? Readiness,
    Recommendation Recommendation)
{
    /// <summary>The statistics used and what they assume, stated in every rendering.</summary>
    public IReadOnlyList<string> Assumptions { get; init; } = [];

    /// <summary>A stored value of <see cref="Metric"/> on the 0-100 scale every rendering shows.</summary>
    public double? Points(double? value) => value * 100 / FullScale;
}

/// <param name="Evidence">The measured rung's numbers; null for a rung not measured.</param>
internal sealed record RungReport(string Rung, string SourceVariant, StoredStatus<RungStatus> Status, [property: JsonConverter(typeof(RungSkipJson))] RungSkip? Reason, string? Model, RungEvidence? Evidence);

/// <summary>A probe's result on the primary metric (and, for constrained decoding, on the format metric).</summary>
/// <param name="FullScale">The metric's perfect score on its own scale (a probe may report the format metric, not the study's).</param>
internal sealed record ProbeResult(string Name, string Kind, string Metric, double Value, double? Lower, double? Upper, int N, double FullScale = 1);
