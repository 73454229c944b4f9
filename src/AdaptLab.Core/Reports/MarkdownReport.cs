using System.Text;

namespace AdaptLab.Core.Reports;

/// <summary>A compact report for pull-request comments: summary, gates, comparisons, failing items.</summary>
public static class MarkdownReport
{
    public static string Render(RunReport report, int maxFailures = 20)
    {
        var md = new StringBuilder();
        var run = report.Run;
        md.AppendLine($"## AdaptLab run `{run.Id}` — {run.TaskName}");
        md.AppendLine();
        md.AppendLine($"{run.ItemCount} test items from `{Path.GetFileName(run.DatasetPath)}` (sha256 `{run.DatasetHash[..12]}`), status **{run.State}**.");
        md.AppendLine();
        md.Append("| variant | model | n |");
        foreach (var m in report.Metrics)
        {
            md.Append($" {m} (95% CI) |");
        }

        var classification = report.Variants.Any(v => v.InvalidLabels is not null);
        md.AppendLine((classification ? " invalid |" : string.Empty) + " errors | p95 latency | cost / 1k |");
        md.AppendLine("|---|---|---|" + string.Concat(report.Metrics.Select(_ => "---|")) + (classification ? "---|" : string.Empty) + "---|---|---|");
        foreach (var v in report.Variants)
        {
            md.Append($"| {v.Name} | `{v.ModelRef}` | {v.Predicted} |");
            foreach (var m in report.Metrics)
            {
                var r = v.Metrics.FirstOrDefault(x => x.Metric == m);
                md.Append(r is null ? " – |" : $" {Format.Points(report.Points(m, r.Value))} {Format.PointsInterval(report.Points(m, r.Lower), report.Points(m, r.Upper))}{(r.Caution is null ? string.Empty : "\\*")} |");
            }

            if (classification)
            {
                md.Append($" {v.InvalidLabels} |");
            }

            md.AppendLine($" {v.Errors} ({Format.Percent(v.ErrorRate)}) | {Format.Ms(v.LatencyP95Ms)} | {Format.Value(v.CostPer1k)} |");
        }

        var methods = report.Variants.SelectMany(v => v.Metrics).Select(r => r.Method).OfType<string>().Distinct().ToList();
        if (methods.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("Intervals: " + string.Join("; ", methods) + "; n is the items scored (answered without error). Items are treated as independent draws; failed calls are excluded from scores and counted as errors.");
        }

        foreach (var v in report.Variants)
        {
            foreach (var r in v.Metrics.Where(r => r.Caution is not null))
            {
                md.AppendLine();
                md.AppendLine($"\\* {v.Name} {r.Metric}: unreliable interval, {r.Caution}.");
            }
        }

        md.AppendLine();
        md.AppendLine(RunReport.ScaleNote);
        if (classification)
        {
            md.AppendLine();
            md.AppendLine(RunReport.LabelNote);
            foreach (var v in report.Variants.Where(v => v.Classes is not null))
            {
                AppendClassTable(md, v.Name, v.Classes!);
            }
        }

        if (report.Gates.Count > 0)
        {
            md.AppendLine();
            md.AppendLine(report.AllGatesPassed ? "### Gates: all passed" : "### Gates: some missed");
            md.AppendLine();
            md.AppendLine("| variant | gate | target | actual | |");
            md.AppendLine("|---|---|---|---|---|");
            foreach (var g in report.Gates)
            {
                var (target, actual) = GateValues(report, g);
                md.AppendLine($"| {g.Variant} | {g.Name} | {(g.AtMost ? "≤" : "≥")} {target} | {actual}{Straddle(report, g)} | {(g.Passed ? "✅" : "❌")} |");
            }
        }

        if (report.Comparisons.Count > 0)
        {
            md.AppendLine();
            md.AppendLine($"### Against the baseline `{report.Comparisons[0].Baseline}` (paired, same items)");
            md.AppendLine();
            md.AppendLine("| variant | metric | difference (95% CI) | p | p (Holm) | n | significant |");
            md.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var c in report.Comparisons)
            {
                var difference = report.Points(c.Metric, c.Difference)!.Value;
                md.AppendLine($"| {c.Variant} | {c.Metric} | {(difference >= 0 ? "+" : string.Empty)}{Format.Points(difference)} {Format.PointsInterval(report.Points(c.Metric, c.Lower), report.Points(c.Metric, c.Upper))}{(c.Caution is null ? string.Empty : "\\*")} | {Format.PValue(c.PValue)} | {Format.PValue(c.AdjustedPValue)} | {c.N} | {(c.Significant ? "yes" : "no")} |");
            }

            md.AppendLine();
            md.AppendLine("Tests: " + string.Join("; ", report.Comparisons.Select(c => c.Method).Distinct()) + ".");
            foreach (var c in report.Comparisons.Where(c => c.Caution is not null))
            {
                md.AppendLine();
                md.AppendLine($"\\* {c.Variant} {c.Metric}: unreliable interval, {c.Caution}.");
            }
        }

        var failures = report.Items
            .SelectMany(i => i.Outputs.Where(o => o.Error is not null || o.Scores.Values.Any(s => s.Reason is not null))
                .Select(o => (Item: i, Output: o)))
            .Take(maxFailures)
            .ToList();
        if (failures.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("<details><summary>Failing items (first " + failures.Count + ")</summary>");
            md.AppendLine();
            md.AppendLine("| item | variant | output | why |");
            md.AppendLine("|---|---|---|---|");
            foreach (var (item, output) in failures)
            {
                var why = output.Error ?? string.Join("; ", output.Scores.Where(s => s.Value.Reason is not null).Select(s => $"{s.Key}: {s.Value.Reason}"));
                md.AppendLine($"| {Cell(item.Id)} | {output.Variant} | {Cell(output.Output ?? string.Empty)} | {Cell(why)} |");
            }

            md.AppendLine();
            md.AppendLine("</details>");
        }

        return md.ToString();
    }

    /// <summary>" [72.7, 80.5], the interval straddles the target" where it does; else empty.</summary>
    public static string Straddle(RunReport report, GateResult g) => g.Straddles
        ? $" {Format.PointsInterval(report.Points(g.Name, g.Lower), report.Points(g.Name, g.Upper))}, the interval straddles the target" +
          (g.OnInterval ? string.Empty : g.Passed ? ": met on the estimate only (targets.require: interval asks for the whole interval)" : string.Empty)
        : string.Empty;

    /// <summary>A metric gate's target and value on the report's 0-100 scale; other gates as they are.</summary>
    public static (string Target, string Actual) GateValues(RunReport report, GateResult g) =>
        report.FullScales.ContainsKey(g.Name) ? (Format.Points(report.Points(g.Name, g.Target)), Format.Points(report.Points(g.Name, g.Actual)))
        : g.Name.EndsWith("_ms", StringComparison.Ordinal) ? (Format.Ms(g.Target), Format.Ms(g.Actual))
        : (Format.Value(g.Target), Format.Value(g.Actual));

    private static void AppendClassTable(StringBuilder md, string variant, ClassTable table)
    {
        md.AppendLine();
        md.AppendLine($"<details><summary>Per-label scores of {variant}</summary>");
        md.AppendLine();
        md.AppendLine("| label | precision | recall | F1 | support | invalid replies |");
        md.AppendLine("|---|---|---|---|---|---|");
        for (var k = 0; k < table.Labels.Count; k++)
        {
            var c = table.Rows[k];
            md.AppendLine($"| {Cell(c.Label)} | {Format.Points(c.Precision * 100)} | {Format.Points(c.Recall * 100)} | {Format.Points(c.F1 * 100)} | {c.Support} | {table.Invalid[k]} |");
        }

        md.AppendLine();
        md.AppendLine("Most frequent confusions (gold → predicted):");
        md.AppendLine();
        var confusions = Enumerable.Range(0, table.Labels.Count)
            .SelectMany(r => Enumerable.Range(0, table.Labels.Count).Where(c => c != r && table.Confusion[r][c] > 0)
                .Select(c => (Gold: table.Labels[r], Predicted: table.Labels[c], Count: table.Confusion[r][c])))
            .OrderByDescending(x => x.Count).ThenBy(x => x.Gold, StringComparer.Ordinal).Take(10).ToList();
        md.AppendLine(confusions.Count == 0 ? "none" : string.Join("; ", confusions.Select(x => $"{x.Gold} → {x.Predicted}: {x.Count}")));
        md.AppendLine();
        md.AppendLine("</details>");
    }

    private static string Cell(string s)
    {
        var text = s.Replace("\r", " ").Replace("\n", " ").Replace("|", "\\|");
        return text.Length <= 120 ? text : text[..117] + "...";
    }
}
