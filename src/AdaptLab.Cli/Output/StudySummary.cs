using AdaptLab.Core.Decision;
using AdaptLab.Core.Ladder;
using AdaptLab.Core.Reports;
using AdaptLab.Core.Store;
using Spectre.Console;
using AdaptLab.Core.Evidence;

namespace AdaptLab.Cli.Output;

/// <summary>The console view of a study: the ladder, then the recommendation with its evidence.</summary>
internal static class StudySummary
{
    public static void Write(IAnsiConsole console, StudyReport report)
    {
        console.MarkupLineInterpolated($"[bold]{report.Task}[/] study [bold]{report.Study.Id}[/] · judged on {report.Metric} (0-100)");
        var table = new FittedTable().Column("rung").Column("variant").Column(report.Metric, rightAligned: true)
            .Column("lift").Column("failures").Column("cost/1k", rightAligned: true).Column("status");
        foreach (var rung in report.Rungs)
        {
            var e = rung.Evidence;
            table.Row(
                Markup.Escape(rung.Rung),
                Markup.Escape(rung.SourceVariant),
                e is null ? "–" : $"{StudyText.Points(report, e.Value)} [grey]{Markup.Escape(StudyText.Interval(report, e.Lower, e.Upper))}[/]",
                Markup.Escape(StudyText.Lift(report, e?.Lift)),
                e is null ? "–" : Markup.Escape(string.Join(", ", e.Failures.Shares.Where(s => s.Count > 0).Select(s => $"{Recommender.Words(s.Category)} {s.Count}"))),
                Format.Money(e?.Cost.CostPer1k),
                rung.Status.Known is RungStatus.Measured ? (e?.MeetsTargets == true ? "[green]meets targets[/]" : Markup.Escape(StudyText.Status(rung))) : $"[grey]{Markup.Escape(StudyText.Status(rung))}[/]");
        }

        table.Write(console);
        var rec = report.Recommendation;
        var colour = rec.Outcome == Outcome.NoneMeetsTargets ? "red" : "green";
        console.MarkupLine($"[bold {colour}]Recommendation[/]: {Markup.Escape(rec.Summary)}");
        foreach (var line in rec.Evidence)
        {
            console.MarkupLineInterpolated($"  [grey]·[/] {line}");
        }

        if (rec.WouldChange.Count > 0)
        {
            console.MarkupLine("What would change it:");
            foreach (var line in rec.WouldChange)
            {
                console.MarkupLineInterpolated($"  [grey]·[/] {line}");
            }
        }
    }
}
