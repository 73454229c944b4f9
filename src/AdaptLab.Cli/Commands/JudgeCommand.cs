using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AdaptLab.Core.Judging;
using AdaptLab.Core.Reports;
using AdaptLab.Core.Tasks;
using AdaptLab.Metrics.Statistics;
using Spectre.Console;
using AdaptLab.Core.Evidence;

namespace AdaptLab.Cli.Commands;

/// <summary>
/// <c>adaptlab judge [RUN]</c>: the task file's LLM judges over a run's outputs, stored per item; then each judge's
/// score with its interval, its parse failures, its self-agreement and its agreement with imported human ratings.
/// <c>adaptlab human import RUN FILE</c> brings those ratings in.
/// </summary>
internal static class JudgeCommand
{
    public static Command Create(CliContext context, GlobalOptions options)
    {
        var run = new Argument<string>("run") { Description = "Run id, prefix or 'latest'", DefaultValueFactory = _ => "latest" };
        var only = new Option<string[]>("--judge") { Description = "Only this judge of the task file (repeatable)" };
        var command = new Command("judge", "Run the task file's LLM judges over a run's outputs and report them with their reliability") { run, only };
        command.SetAction(async (parse, ct) =>
        {
            using var store = StoreAccess.Open(parse, options);
            var info = StoreAccess.FindRun(store, parse.GetValue(run)!);
            if (!File.Exists(info.TaskPath))
            {
                throw new InputException(info.TaskPath, null, "judges", $"the task file of run {info.Id} is gone; the judges are read from it");
            }

            var task = TaskFileLoader.Load(info.TaskPath);
            var selected = parse.GetValue(only) is { Length: > 0 } names ? names : null;
            var judges = task.Judges.Where(j => selected is null || selected.Contains(j.Name)).ToList();
            if (judges.Count == 0)
            {
                throw new InputException(info.TaskPath, null, "judges", selected is null
                    ? "the task file has no judges section"
                    : $"no judge named {string.Join(", ", selected)} (judges: {string.Join(", ", task.Judges.Select(j => j.Name))})");
            }

            await new JudgeRunner(store, context.Providers).RunAsync(info, judges, task.Concurrency, ct);
            var summaries = JudgeSummary.Of(judges, store.GetJudgements(info.Id), store.GetHumanRatings(info.Id));
            if (parse.GetValue(options.Json))
            {
                context.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(summaries, JsonReport.Options));
            }
            else
            {
                Write(context.Out, summaries);
            }

            return summaries.Any(s => s.ParseFailures == s.Verdicts) ? ExitCodes.Infrastructure : ExitCodes.Ok;
        });
        return command;
    }

    public static Command CreateHuman(CliContext context, GlobalOptions options)
    {
        var run = new Argument<string>("run") { Description = "Run id, prefix or 'latest'" };
        var file = new Argument<string>("file") { Description = "CSV with id, variant, rating (and rater, note) columns" };
        var rater = new Option<string?>("--rater") { Description = "The rater, for a file without a rater column" };
        var import = new Command("import", "Import people's ratings of a run's outputs, one row per item and variant") { run, file, rater };
        import.SetAction(parse =>
        {
            using var store = StoreAccess.Open(parse, options);
            var info = StoreAccess.FindRun(store, parse.GetValue(run)!);
            var ratings = HumanRatingsImport.Read(parse.GetValue(file)!, store, info, parse.GetValue(rater));
            store.SaveHumanRatings(info.Id, ratings);
            context.Out.MarkupLineInterpolated($"[green]ok[/] {ratings.Count} ratings of run {info.Id} by {string.Join(", ", ratings.Select(r => r.Rater).Distinct())}");
            return ExitCodes.Ok;
        });
        return new Command("human", "People's ratings of a run's outputs") { import };
    }

    private static void Write(IAnsiConsole console, IReadOnlyList<JudgeSummary> summaries)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns(
            new[] { "judge", "variant", "score [95% CI]", "items", "parse failures", "self-agreement κ", "human κ", "first shown wins" }.Select(Markup.Escape).ToArray());
        foreach (var s in summaries)
        {
            table.AddRow(
                Markup.Escape(s.Judge),
                Markup.Escape(s.Baseline is null ? s.Variant : $"{s.Variant} vs {s.Baseline}"),
                s.Mean is { } m ? Markup.Escape($"{Format.Value(m.Value)} {Format.Interval(m.Lower, m.Upper)}") : "–",
                s.Items.ToString(CultureInfo.InvariantCulture),
                s.ParseFailures == 0 ? "0" : $"[yellow]{s.ParseFailures} of {s.Verdicts}[/]",
                Kappa(s.SelfAgreement),
                Kappa(s.HumanAgreement),
                s.FirstShownWins is { } f ? Format.Percent(f) : "–");
        }

        console.Write(table);
        foreach (var s in summaries.Where(s => s.ParseFailures > 0))
        {
            console.MarkupLineInterpolated($"[yellow]{s.Judge} on {s.Variant}[/]: {s.ParseFailures} replies had no verdict and are not scored, e.g. {s.FailureExamples[0]}");
        }

        if (summaries.FirstOrDefault(s => s.Mean is not null)?.Mean is { } method)
        {
            console.MarkupLineInterpolated($"[grey]scores: {method.Method}; κ: {CohenKappa.Method}[/]");
        }
    }

    private static string Kappa(KappaEstimate? k) => k is null ? "–" : Markup.Escape($"{Format.Value(k.Kappa)} {Format.Interval(k.Lower, k.Upper)} (n {k.N})");
}
