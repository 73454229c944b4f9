using AdaptLab.Core.Store;
using AdaptLab.Metrics.Statistics;

namespace AdaptLab.Core.Evidence;

/// <summary>
/// Run B against run A, variant by variant (same names, else the same identity, so a ladder's rungs meet the eval
/// variants they were made from; or the only variant of each), on the items both answered, paired by item id.
/// Differences are B − A; Holm-corrected across all rows.
/// </summary>
internal static class RunComparer
{
    /// <param name="pairs">The variants to compare (A's, B's); by default those with the same name or else the same identity, or the only variant of each.</param>
    public static RunComparison Compare(RunStore store, RunInfo runA, RunInfo runB, IReadOnlyList<(string A, string B)>? pairs = null)
    {
        var a = RunData.Load(store, runA);
        var b = RunData.Load(store, runB);
        pairs ??= a.Variants.Count == 1 && b.Variants.Count == 1
            ? [(a.Variants[0].Name, b.Variants[0].Name)]
            : Matched(a.Variants, b.Variants);
        var metricsB = runB.Config.Metrics.Select(m => m.Key).ToHashSet();
        var metrics = runA.Config.CreateMetrics().Where(m => metricsB.Contains(m.Name)).ToList();

        // B is the first side, so differences read B − A, and the pairs follow B's items.
        var family = new ComparisonFamily<(string A, string B)>();
        foreach (var (variantA, variantB) in pairs)
        {
            family.Add((variantA, variantB), metrics, b, variantB, a, variantA);
        }

        var rows = family.Adjusted().Select(f => new RunComparisonRow(
            f.Key.A, f.Key.B, f.Metric.Name, f.Result.ValueB, f.Result.ValueA, f.Result.Difference, f.Result.Lower, f.Result.Upper,
            f.Result.PValue, f.AdjustedP, f.Significant, Regressed: f.Significant && (f.Metric.HigherIsBetter ? f.Result.Difference < 0 : f.Result.Difference > 0),
            f.Result.N, f.Method, f.Result.Caution)).ToList();
        return new RunComparison(runA, runB, runA.DatasetHash == runB.DatasetHash, rows);
    }

    /// <summary>
    /// Variants of the same name; then, among the rest, those of the same identity (prompt version, steps, model, settings:
    /// a ladder rung is the variant it was made from under another name), each used once.
    /// </summary>
    private static List<(string A, string B)> Matched(IReadOnlyList<VariantInfo> a, IReadOnlyList<VariantInfo> b)
    {
        var pairs = a.Where(v => b.Any(w => w.Name == v.Name)).Select(v => (v.Name, v.Name)).ToList();
        var restB = b.Where(w => pairs.All(p => p.Item2 != w.Name)).ToList();
        foreach (var v in a.Where(v => pairs.All(p => p.Item1 != v.Name) && v.Identity is not null))
        {
            if (restB.FirstOrDefault(w => w.Identity == v.Identity) is { } same)
            {
                pairs.Add((v.Name, same.Name));
                restB.Remove(same);
            }
        }

        return [.. pairs.OrderBy(p => a.ToList().FindIndex(v => v.Name == p.Item1))];
    }
}

/// <param name="SameDataset">False when the runs read different test files: only items with the same id are paired.</param>
internal sealed record RunComparison(RunInfo RunA, RunInfo RunB, bool SameDataset, IReadOnlyList<RunComparisonRow> Rows);

/// <param name="Regressed">B is significantly worse than A on this metric (after Holm correction).</param>
/// <param name="Caution">Why the interval is unreliable (<see cref="PairedComparison.Caution"/>), or null.</param>
internal sealed record RunComparisonRow(
    string VariantA,
    string VariantB,
    string Metric,
    double ValueA,
    double ValueB,
    double Difference,
    double Lower,
    double Upper,
    double PValue,
    double AdjustedPValue,
    bool Significant,
    bool Regressed,
    int N,
    string Method,
    string? Caution = null);
