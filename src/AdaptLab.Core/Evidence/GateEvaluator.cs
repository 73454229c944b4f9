using System.Text.Json;
using AdaptLab.Core.Store;

namespace AdaptLab.Core.Evidence;

/// <summary>One check of a gate: a target of the task file, or a metric against the baseline run.</summary>
/// <param name="Suite">"run", "targets" or "regressions".</param>
internal sealed record GateCheck(string Suite, string Name, bool Passed, string Detail);

/// <param name="Baseline">The run compared against, or null when there was none (targets only).</param>
/// <param name="BaselineLabel">The label that named the baseline, if one did.</param>
internal sealed record GateOutcome(RunInfo Candidate, RunInfo? Baseline, string? BaselineLabel, IReadOnlyList<GateCheck> Checks)
{
    public bool Passed => Checks.All(c => c.Passed);
}

/// <summary>
/// <c>adaptlab gate</c>: a run passes when it is complete, meets every target of its task file and is significantly worse
/// than the baseline on no metric (paired by item id, Holm-corrected, as <c>compare</c>).
/// </summary>
internal static class GateEvaluator
{
    public static GateOutcome Evaluate(RunStore store, RunInfo candidate, RunInfo? baseline, string? baselineLabel)
    {
        var checks = new List<GateCheck>
        {
            new("run", "complete", candidate.IsCompleted, candidate.IsCompleted
                ? $"{candidate.ItemCount} items answered and scored"
                : "the run is unfinished: `adaptlab eval --resume` completes it"),
        };
        var report = ReportBuilder.Build(store, candidate);
        checks.AddRange(report.Gates.Select(g =>
        {
            var (target, actual) = RunText.GateValues(report, g);
            return new GateCheck("targets", $"{g.Variant}: {g.Name} {(g.AtMost ? "<=" : ">=")} {target}", g.Passed, $"actual {actual}{RunText.Straddle(report, g)}");
        }));
        if (baseline is not null)
        {
            var comparison = RunComparer.Compare(store, baseline, candidate);
            checks.AddRange(comparison.Rows.Select(r => new GateCheck(
                "regressions",
                $"{r.VariantB}: {r.Metric} against {baselineLabel ?? baseline.Id}",
                !r.Regressed,
                $"{Format.Points(Format.ToPoints(candidate.Config, r.Metric, r.ValueB))} vs {Format.Points(Format.ToPoints(candidate.Config, r.Metric, r.ValueA))}: " +
                $"{Format.SignedPoints(candidate.Config, r.Metric, r.Difference, r.Lower, r.Upper)} points, p(Holm) {Format.PValue(r.AdjustedPValue)}, n {r.N}")));
        }

        return new GateOutcome(candidate, baseline, baselineLabel, checks);
    }

    /// <summary>What a label records of a run: each variant's prompt version, model reference and identity.</summary>
    public static string Snapshot(RunStore store, RunInfo run) => JsonSerializer.Serialize(
        store.GetVariants(run.Id).Select(v => new { v.Name, prompt_hash = v.PromptHash, prompt_path = v.PromptPath, model = v.ModelRef, v.Identity }),
        StoredJson.Options);
}
