using System.Text;
using AdaptLab.Core.Decision;
using AdaptLab.Core.Ladder;
using static AdaptLab.Core.Reports.StudyText;

namespace AdaptLab.Core.Reports;

/// <summary>A study as Markdown, for a pull request or a wiki: the recommendation first, then the ladder it rests on.</summary>
public static class StudyMarkdown
{
    public static string Render(StudyReport report)
    {
        var md = new StringBuilder();
        var rec = report.Recommendation;
        md.AppendLine($"# {report.Task}: {Recommendation.Words(rec.Outcome)}").AppendLine();
        md.AppendLine($"Study `{report.Study.Id}` (run `{report.RunId}`), judged on **{report.Metric}** (0-100).").AppendLine();
        md.AppendLine($"**{rec.Summary}.**").AppendLine();
        md.AppendLine("Evidence:").AppendLine();
        rec.Evidence.ToList().ForEach(e => md.AppendLine($"- {e}"));
        if (rec.WouldChange.Count > 0)
        {
            md.AppendLine().AppendLine("What would change it:").AppendLine();
            rec.WouldChange.ToList().ForEach(e => md.AppendLine($"- {e}"));
        }

        md.AppendLine().AppendLine("## The ladder").AppendLine();
        md.AppendLine($"| rung | from variant | status | {report.Metric} [95% CI] | lift | cost / 1k | p50 / p95 ms | tokens in / out / retrieved | training |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var rung in report.Rungs)
        {
            var e = rung.Evidence;
            md.AppendLine($"| {rung.Rung} | {rung.SourceVariant} | {Status(rung)} | {(e is null ? "–" : $"{Points(report, e.Value)} {Interval(report, e.Lower, e.Upper)}")} | " +
                $"{Lift(report, e?.Lift)} | {Money(e?.Cost.CostPer1k)} | {Number(e?.Cost.LatencyP50Ms)} / {Number(e?.Cost.LatencyP95Ms)} | " +
                $"{Number(e?.Cost.InputTokens, "0.#")} / {Number(e?.Cost.OutputTokens, "0.#")} / {Number(e?.Cost.RetrievalTokens, "0.#")} | " +
                $"{(e?.Cost.TrainingSeconds is { } s ? $"{Number(s, "0.0")} s, {Money(e.Cost.TrainingCost)}" : "–")} |");
        }

        md.AppendLine().AppendLine("## Why items fail").AppendLine();
        md.AppendLine("| rung | failed | format | knowledge gap | inconsistency | capability gap | measured by |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var rung in report.Rungs.Where(r => r.Evidence is not null))
        {
            var shares = FailureShareView.Of(rung.Evidence!).ToList();
            md.AppendLine($"| {rung.Rung} | {rung.Evidence!.Failures.Failed} of {rung.Evidence.Failures.Items} | {string.Join(" | ", shares.Select(Share))} | {string.Join("; ", rung.Evidence.Failures.Measured)} |");
        }

        if (report.Probes.Count > 0)
        {
            md.AppendLine().AppendLine("Probes of the prompt rung:").AppendLine();
            md.AppendLine("| probe | metric | value [95% CI] | items |").AppendLine("|---|---|---|---|");
            foreach (var probe in report.Probes)
            {
                md.AppendLine($"| {probe.Name} | {probe.Metric} | {ProbePoints(probe)} | {probe.N} |");
            }
        }

        if (report.BreakEven is { } b)
        {
            md.AppendLine().AppendLine("## Cost break-even").AppendLine();
            md.AppendLine($"{b.FineTuned}: {Money(b.FixedPerMonth)} a month fixed + {Money(b.FineTunedPer1k)} per 1,000 requests; {b.Prompted}: {Money(b.PromptedPer1k)} per 1,000 requests. " +
                (b.RequestsPerMonth is { } v ? $"Break-even at **{Number(v, "N0")} requests a month**." : "The fine-tuned rung is never cheaper at these prices.") +
                (b.QualityDifference is { } q ? $" Quality: {Lift(report, q, adjusted: false)}." : string.Empty));
        }

        if (report.Readiness is { } readiness)
        {
            md.AppendLine().AppendLine($"Training data: {ReadinessText.Verdict(readiness.Verdict)}{(readiness.Blockers.Count > 0 ? " (" + string.Join("; ", readiness.Blockers) + ")" : string.Empty)}.");
        }

        md.AppendLine().AppendLine("## How the numbers were computed").AppendLine();
        report.Assumptions.ToList().ForEach(a => md.AppendLine($"- {a}"));
        return md.ToString();
    }
}
