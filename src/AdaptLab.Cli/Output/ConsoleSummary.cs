using AdaptLab.Core.Evaluation;
using Spectre.Console;
using AdaptLab.Core.Evidence;

namespace AdaptLab.Cli.Output;

/// <summary>The console view of a run: one table of variants, then gates and comparisons if any.</summary>
internal static class ConsoleSummary
{
    public static void Write(IAnsiConsole console, RunReport report, EvalOutcome? outcome = null)
    {
        var run = report.Run;
        console.MarkupLineInterpolated($"[bold]{run.TaskName}[/] run [bold]{run.Id}[/] · {run.ItemCount} items · {run.State}");
        if (outcome is not null)
        {
            var calls = outcome.Variants.Sum(v => v.ModelCalls);
            var failed = outcome.Variants.Sum(v => v.Errors);
            var kept = outcome.Variants.Sum(v => v.AlreadyDone);
            var cached = outcome.Variants.Sum(v => v.CacheHits);
            console.MarkupLineInterpolated(
                $"[grey]{calls} model calls ({failed} failed); {cached} answers from the response cache; {kept} kept from before this resume[/]");
            foreach (var search in outcome.Searches)
            {
                console.MarkupLineInterpolated(
                    $"[grey]{search.Variant}'s few-shot search on dev: {search.ModelCalls} more model calls ({search.Errors} failed); {search.CacheHits} answers from the response cache[/]");
            }
        }

        var table = new FittedTable().Column("variant").Column("model").Column("n", rightAligned: true);
        foreach (var m in report.Metrics)
        {
            table.Column(m, rightAligned: true);
        }

        var classification = report.Variants.Any(v => v.InvalidLabels is not null);
        if (classification)
        {
            table.Column("invalid", rightAligned: true);
        }

        table.Column("errors", rightAligned: true).Column("p95", rightAligned: true).Column("cost/1k", rightAligned: true);
        foreach (var v in report.Variants)
        {
            var cells = new List<string> { Markup.Escape(v.Name), Markup.Escape(v.ModelRef), v.Predicted.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            cells.AddRange(report.Metrics.Select(m => v.Metrics.FirstOrDefault(r => r.Metric == m) is { } r
                ? $"{Format.Points(report.Points(m, r.Value))} [grey]{Markup.Escape(Format.PointsInterval(report.Points(m, r.Lower), report.Points(m, r.Upper)))}{(r.N < v.Predicted ? $" n={r.N}" : string.Empty)}[/]{Mark(r.Caution)}"
                : "–"));
            if (classification)
            {
                cells.Add(v.InvalidLabels is > 0 ? $"[yellow]{v.InvalidLabels}[/]" : "0");
            }

            cells.Add(v.Errors == 0 ? "0" : $"[red]{v.Errors}[/]");
            cells.Add(Format.Ms(v.LatencyP95Ms));
            cells.Add(Format.Value(v.CostPer1k));
            table.Row([.. cells]);
        }

        table.Write(console);

        // Said here, under the numbers, and not only in the reports' notes: an unreliable interval read as a
        // 95% one misleads.
        foreach (var v in report.Variants)
        {
            foreach (var r in v.Metrics.Where(r => r.Caution is not null))
            {
                console.MarkupLineInterpolated($"[yellow]*[/] {v.Name} {r.Metric}: unreliable interval, {r.Caution}");
            }
        }

        console.MarkupLineInterpolated($"[grey]{RunReport.ScaleNote}[/]");
        foreach (var g in report.Gates.Where(g => !g.Passed || g.Straddles))
        {
            var (target, actual) = RunText.GateValues(report, g);
            var verdict = g.Passed ? "[yellow]gate met, narrowly[/]" : "[red]gate missed[/]";
            console.MarkupLine(verdict + " " + Markup.Escape($"{g.Variant}: {g.Name} = {actual}{RunText.Straddle(report, g)}, target {(g.AtMost ? "≤" : "≥")} {target}"));
        }

        foreach (var c in report.Comparisons.Where(c => c.Significant))
        {
            var interval = Format.PointsInterval(report.Points(c.Metric, c.Lower), report.Points(c.Metric, c.Upper));
            console.MarkupLineInterpolated(
                $"{c.Variant} vs {c.Baseline}: {c.Metric} {Format.SignedPoints(report.Points(c.Metric, c.Difference))} points {interval}, p(Holm) {Format.PValue(c.AdjustedPValue)}");
            if (c.Caution is not null)
            {
                console.MarkupLineInterpolated($"  [yellow]*[/] unreliable interval, {c.Caution}");
            }
        }
    }

    /// <summary>The mark beside an interval with a caution, explained under the table.</summary>
    internal static string Mark(string? caution) => caution is null ? string.Empty : "[yellow]*[/]";
}
