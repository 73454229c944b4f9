using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AdaptLab.Cli.Output;
using AdaptLab.Core.Reports;
using Spectre.Console;
using AdaptLab.Core.Evidence;

namespace AdaptLab.Cli.Commands;

/// <summary><c>adaptlab compare A B</c>: paired differences B − A with intervals; exit 1 on a significant regression.</summary>
internal static class CompareCommand
{
    public static Command Create(CliContext context, GlobalOptions options)
    {
        var runA = new Argument<string>("run-a") { Description = "Baseline run (id, prefix or 'latest')" };
        var runB = new Argument<string>("run-b") { Description = "Candidate run" };
        var command = new Command("compare", "Compare two runs item by item; exits 1 when B is significantly worse") { runA, runB };
        command.SetAction(parse =>
        {
            using var store = StoreAccess.Open(parse, options);
            var comparison = RunComparer.Compare(store, StoreAccess.FindRun(store, parse.GetValue(runA)!), StoreAccess.FindRun(store, parse.GetValue(runB)!));
            if (parse.GetValue(options.Json))
            {
                context.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(
                    new ComparisonJson(comparison.RunA.Id, comparison.RunB.Id, comparison.SameDataset, comparison.Rows), JsonReport.Options));
            }
            else
            {
                Write(context.Out, comparison);
            }

            return comparison.Rows.Any(r => r.Regressed) ? ExitCodes.GateMissed : ExitCodes.Ok;
        });
        return command;
    }

    private static void Write(IAnsiConsole console, RunComparison c)
    {
        console.MarkupLineInterpolated($"[bold]{c.RunB.Id}[/] against [bold]{c.RunA.Id}[/] (differences are B − A, paired by item id)");
        if (!c.SameDataset)
        {
            console.MarkupLine("[yellow]the runs read different test data; only items with the same id are compared[/]");
        }

        if (c.Rows.Count == 0)
        {
            console.MarkupLine("[yellow]nothing to compare: no common variant with at least 2 common answered items[/]");
            return;
        }

        var table = new FittedTable().Column("variant").Column("metric").Column("A").Column("B").Column("B − A (95% CI)").Column("p (Holm)").Column("n").Column("verdict");
        foreach (var r in c.Rows)
        {
            table.Row(
                Markup.Escape(r.VariantA == r.VariantB ? r.VariantA : $"{r.VariantA} → {r.VariantB}"), Markup.Escape(r.Metric),
                Format.Points(Format.ToPoints(c.RunA.Config, r.Metric, r.ValueA)), Format.Points(Format.ToPoints(c.RunA.Config, r.Metric, r.ValueB)),
                Markup.Escape(Format.SignedPoints(c.RunA.Config, r.Metric, r.Difference, r.Lower, r.Upper)) + ConsoleSummary.Mark(r.Caution),
                Format.PValue(r.AdjustedPValue), r.N.ToString(CultureInfo.InvariantCulture),
                r.Regressed ? "[red]regression[/]" : r.Significant ? "[green]improvement[/]" : "[grey]no significant change[/]");
        }

        table.Write(console);
        foreach (var r in c.Rows.Where(r => r.Caution is not null))
        {
            console.MarkupLineInterpolated($"[yellow]*[/] {r.VariantB} {r.Metric}: unreliable interval, {r.Caution}");
        }

        console.MarkupLineInterpolated($"[grey]{RunReport.ScaleNote} {c.Rows[0].Method}[/]");
    }
}

/// <summary>What <c>compare --json</c> prints.</summary>
internal sealed record ComparisonJson(string RunA, string RunB, bool SameDataset, IReadOnlyList<RunComparisonRow> Rows);
