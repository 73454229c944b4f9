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
        md.AppendLine($"{run.ItemCount} test items from `{Path.GetFileName(run.DatasetPath)}` (sha256 `{run.DatasetHash[..12]}`), status **{run.Status}**.");
        md.AppendLine();
        md.Append("| variant | model | n |");
        foreach (var m in report.Metrics)
        {
            md.Append($" {m} (95% CI) |");
        }

        md.AppendLine(" errors | p95 latency | cost / 1k |");
        md.AppendLine("|---|---|---|" + string.Concat(report.Metrics.Select(_ => "---|")) + "---|---|---|");
        foreach (var v in report.Variants)
        {
            md.Append($"| {v.Name} | `{v.ModelRef}` | {v.Predicted} |");
            foreach (var m in report.Metrics)
            {
                var r = v.Metrics.FirstOrDefault(x => x.Metric == m);
                md.Append(r is null ? " – |" : $" {Format.Value(r.Value)} {Format.Interval(r.Lower, r.Upper)} |");
            }

            md.AppendLine($" {v.Errors} ({Format.Percent(v.ErrorRate)}) | {Format.Ms(v.LatencyP95Ms)} | {Format.Value(v.CostPer1k)} |");
        }

        var methods = report.Variants.SelectMany(v => v.Metrics).Select(r => r.Method).OfType<string>().Distinct().ToList();
        if (methods.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("Intervals: " + string.Join("; ", methods) + "; n is the items scored (answered without error). Items are treated as independent draws; failed calls are excluded from scores and counted as errors.");
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
                md.AppendLine($"| {g.Variant} | {g.Name} | {(g.AtMost ? "≤" : "≥")} {Format.Value(g.Target)} | {Format.Value(g.Actual)} | {(g.Passed ? "✅" : "❌")} |");
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
                md.AppendLine($"| {c.Variant} | {c.Metric} | {Format.Signed(c.Difference)} {Format.Interval(c.Lower, c.Upper)} | {Format.PValue(c.PValue)} | {Format.PValue(c.AdjustedPValue)} | {c.N} | {(c.Significant ? "yes" : "no")} |");
            }

            md.AppendLine();
            md.AppendLine("Tests: " + string.Join("; ", report.Comparisons.Select(c => c.Method).Distinct()) + ".");
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

    private static string Cell(string s)
    {
        var text = s.Replace("\r", " ").Replace("\n", " ").Replace("|", "\\|");
        return text.Length <= 120 ? text : text[..117] + "...";
    }
}
