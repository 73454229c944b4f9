using AdaptLab.Core.Evidence;

namespace AdaptLab.Core.Reports;

/// <summary>A compact report for pull-request comments: summary, gates, comparisons, failing items (Templates/run.md.liquid).</summary>
internal static class MarkdownReport
{
    public static string Render(RunReport report, int maxFailures = 20) => ReportTemplates.Render("run.md", RunMarkdown.Of(report, maxFailures));
}

/// <summary>A run as its Markdown report reads it: every metric value already on the 0-100 scale.</summary>
internal sealed record RunMarkdown(
    string Id,
    string Task,
    int ItemCount,
    string DatasetFile,
    string DatasetHash,
    string State,
    IReadOnlyList<string> Metrics,
    bool Classification,
    IReadOnlyList<RunMarkdown.VariantRow> Variants,
    IReadOnlyList<string> Methods,
    IReadOnlyList<RunMarkdown.Caution> MetricCautions,
    string ScaleNote,
    string LabelNote,
    IReadOnlyList<RunMarkdown.LabelTable> LabelTables,
    bool AllGatesPassed,
    IReadOnlyList<RunMarkdown.Gate> Gates,
    string? Baseline,
    IReadOnlyList<RunMarkdown.Comparison> Comparisons,
    IReadOnlyList<string> Tests,
    IReadOnlyList<RunMarkdown.Caution> ComparisonCautions,
    IReadOnlyList<RunMarkdown.Failure> Failures)
{
    public static RunMarkdown Of(RunReport report, int maxFailures)
    {
        var run = report.Run;
        return new RunMarkdown(
            run.Id,
            run.TaskName,
            run.ItemCount,
            Path.GetFileName(run.DatasetPath),
            run.DatasetHash[..12],
            run.State,
            report.Metrics,
            report.Variants.Any(v => v.InvalidLabels is not null),
            [.. report.Variants.Select(v => new VariantRow(
                v.Name,
                v.ModelRef,
                v.Predicted,
                [.. report.Metrics.Select(m => v.Metrics.FirstOrDefault(x => x.Metric == m) is { } r
                    ? new Score(report.Points(m, r.Value), report.Points(m, r.Lower), report.Points(m, r.Upper), r.Caution is not null)
                    : null)],
                v.InvalidLabels,
                v.Errors,
                v.ErrorRate,
                v.LatencyP95Ms,
                v.CostPer1k))],
            [.. report.Variants.SelectMany(v => v.Metrics).Select(r => r.Method).OfType<string>().Distinct()],
            [.. report.Variants.SelectMany(v => v.Metrics.Where(r => r.Caution is not null).Select(r => new Caution(v.Name, r.Metric, r.Caution!)))],
            RunReport.ScaleNote,
            RunReport.LabelNote,
            [.. report.Variants.Where(v => v.Classes is not null).Select(v => Classes(v.Name, v.Classes!))],
            report.AllGatesPassed,
            [.. report.Gates.Select(g => Gate.Of(report, g))],
            report.Comparisons.FirstOrDefault()?.Baseline,
            [.. report.Comparisons.Select(c => new Comparison(
                c.Variant, c.Metric, report.Points(c.Metric, c.Difference), report.Points(c.Metric, c.Lower), report.Points(c.Metric, c.Upper),
                c.Caution is not null, c.PValue, c.AdjustedPValue, c.N, c.Significant))],
            [.. report.Comparisons.Select(c => c.Method).Distinct()],
            [.. report.Comparisons.Where(c => c.Caution is not null).Select(c => new Caution(c.Variant, c.Metric, c.Caution!))],
            [.. report.Items
                .SelectMany(i => i.Outputs.Where(o => o.Error is not null || o.Scores.Values.Any(s => s.Reason is not null)).Select(o => new Failure(
                    i.Id,
                    o.Variant,
                    o.Output ?? string.Empty,
                    o.Error ?? string.Join("; ", o.Scores.Where(s => s.Value.Reason is not null).Select(s => $"{s.Key}: {s.Value.Reason}")))))
                .Take(maxFailures)]);
    }

    private static LabelTable Classes(string variant, ClassTable table)
    {
        var labels = table.Labels;
        var confusions = Enumerable.Range(0, labels.Count)
            .SelectMany(r => Enumerable.Range(0, labels.Count).Where(c => c != r && table.Confusion[r][c] > 0)
                .Select(c => new Confusion(labels[r], labels[c], table.Confusion[r][c])))
            .OrderByDescending(x => x.Count).ThenBy(x => x.Gold, StringComparer.Ordinal).Take(10);
        return new LabelTable(
            variant,
            [.. table.Rows.Select((c, k) => new LabelRow(c.Label, c.Precision * 100, c.Recall * 100, c.F1 * 100, c.Support, table.Invalid[k]))],
            [.. confusions]);
    }

    /// <param name="Scores">One per report metric, in order; null where the variant has no result for it.</param>
    internal sealed record VariantRow(
        string Name, string ModelRef, int Predicted, IReadOnlyList<Score?> Scores, int? InvalidLabels, int Errors, double ErrorRate, double? LatencyP95Ms, double? CostPer1k);

    /// <param name="Caution">The interval is unreliable; the reason is in the notes under the table.</param>
    internal sealed record Score(double? Value, double? Lower, double? Upper, bool Caution);

    internal sealed record Caution(string Variant, string Metric, string Reason);

    internal sealed record LabelTable(string Variant, IReadOnlyList<LabelRow> Rows, IReadOnlyList<Confusion> Confusions);

    internal sealed record LabelRow(string Label, double Precision, double Recall, double F1, int Support, int Invalid);

    internal sealed record Confusion(string Gold, string Predicted, int Count);

    /// <param name="Target">As <see cref="RunText.GateValues"/> writes it, like <paramref name="Actual"/>.</param>
    internal sealed record Gate(string Variant, string Name, bool AtMost, string Target, string Actual, string Straddle, bool Passed)
    {
        public static Gate Of(RunReport report, GateResult g)
        {
            var (target, actual) = RunText.GateValues(report, g);
            return new Gate(g.Variant, g.Name, g.AtMost, target, actual, RunText.Straddle(report, g), g.Passed);
        }
    }

    internal sealed record Comparison(
        string Variant, string Metric, double? Difference, double? Lower, double? Upper, bool Caution, double PValue, double AdjustedPValue, int N, bool Significant);

    internal sealed record Failure(string Item, string Variant, string Output, string Why);
}
