using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using AdaptLab.Core.Evaluation;
using AdaptLab.Core.Store;
using AdaptLab.Core.Tasks;
using AdaptLab.Core.Variants;
using Spectre.Console;
using AdaptLab.Core.Evidence;

namespace AdaptLab.Cli.Commands;

/// <summary>
/// <c>adaptlab refine TASK --variant V</c>: the failing items of the variant's latest run next to its prompt; a new
/// version of the prompt (from <c>$EDITOR</c>, or <c>--prompt-file</c>); the failures and a seeded sample of passing
/// items run again with it; the paired difference from the old version on exactly those items. The new version
/// records the old one as its parent.
/// </summary>
internal static class RefineCommand
{
    private const int FailuresShown = 15;

    public static Command Create(CliContext context, GlobalOptions options)
    {
        var task = new Argument<string>("task") { Description = "Task file (adaptlab.yaml)" };
        var variant = new Option<string>("--variant") { Description = "The variant whose prompt to refine", Required = true };
        var promptFile = new Option<string?>("--prompt-file") { Description = "The new prompt, instead of editing in $EDITOR" };
        var regression = new Option<int>("--regression") { Description = "Passing items run again, to catch what the change breaks", DefaultValueFactory = _ => 20 };
        var seed = new Option<int>("--seed") { Description = "Seeds the regression sample", DefaultValueFactory = _ => 0 };
        var command = new Command("refine", "Edit a variant's prompt against its failures and measure the change on them and on passing items")
        {
            task, variant, promptFile, regression, seed,
        };
        command.SetAction(async (parse, ct) =>
        {
            var definition = TaskFileLoader.Load(parse.GetValue(task)!);
            var name = parse.GetValue(variant)!;
            var spec = definition.Variant(name);
            using var store = StoreAccess.Open(parse, options);
            var baseline = store.ListRuns(1000).FirstOrDefault(r => r.TaskPath == definition.SourcePath && r.IsCompleted && store.GetVariants(r.Id).Any(v => v.Name == name))
                ?? throw new InputException(definition.SourcePath, null, null, $"no completed run of variant '{name}' yet: run `adaptlab eval {parse.GetValue(task)}` first");
            var (failing, passing) = Split(store, baseline, name);
            var old = store.GetVariants(baseline.Id).Single(v => v.Name == name);
            var oldText = old.PromptText;
            Show(context.Out, store, baseline, name, failing, passing.Count, oldText);
            if (failing.Count == 0)
            {
                context.Out.MarkupLine("[green]nothing fails: nothing to refine[/]");
                return ExitCodes.Ok;
            }

            var newText = parse.GetValue(promptFile) is { } file ? ReadPrompt(file) : Edit(context, spec.PromptPath, oldText);
            if (newText == oldText)
            {
                context.Out.MarkupLine("[grey]the prompt is unchanged: nothing was run[/]");
                return ExitCodes.Ok;
            }

            var newPrompt = ChatPrompt.Parse(spec.PromptPath, newText);
            File.WriteAllText(spec.PromptPath, newText);
            var sample = passing.OrderBy(id => id, StringComparer.Ordinal).ToArray();
            new Random(parse.GetValue(seed)).Shuffle(sample);
            var rerun = failing.Concat(sample.Take(parse.GetValue(regression))).ToHashSet(StringComparer.Ordinal);
            var evalOptions = new EvalOptions(Variants: [name], ItemIds: rerun);
            var outcome = context.Interactive
                ? await EvalCommand.RunWithProgressAsync(context, store, definition, evalOptions, ct)
                : await new EvalRunner(store, context.Providers).RunAsync(definition, evalOptions, ct);
            var candidate = store.FindRun(outcome.RunId)!;
            store.SetPromptParent(newPrompt.Hash, old.PromptHash);
            WriteOutcome(context.Out, store, baseline, candidate, name, failing, rerun.Count - failing.Count);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Item ids that fail (<see cref="FullMarks"/>) on the primary metric (<see cref="RunConfig.PrimaryMetric"/>), a failed call included, and the others.</summary>
    private static (List<string> Failing, List<string> Passing) Split(RunStore store, RunInfo run, string variant)
    {
        var metric = run.Config.PrimaryMetric().Key;
        var full = run.Config.FullScale(metric);
        var items = store.GetItems(run.Id).ToDictionary(i => i.Index);
        var scores = store.GetScores(run.Id).Where(s => s.Variant == variant && s.Metric == metric).ToDictionary(s => s.ItemIndex, s => s.Value);
        var failing = items.Values.Where(i => !FullMarks.Passes(scores.TryGetValue(i.Index, out var score) ? score : null, full)).Select(i => i.Id).ToList();
        return (failing, [.. items.Values.Select(i => i.Id).Except(failing)]);
    }

    private static void Show(IAnsiConsole console, RunStore store, RunInfo run, string variant, List<string> failing, int passing, string prompt)
    {
        var metric = run.Config.PrimaryMetric().Key;
        console.MarkupLineInterpolated($"[bold]{variant}[/] in run {run.Id}: {failing.Count} of {failing.Count + passing} items short on {metric}");
        var data = ReportBuilder.Build(store, run);
        var table = new Table().Border(TableBorder.Simple).AddColumns("item", "input", "expected", "reply", "why");
        foreach (var item in data.Items.Where(i => failing.Contains(i.Id)).Take(FailuresShown))
        {
            var output = item.Outputs.Single(o => o.Variant == variant);
            var why = output.Error ?? output.Scores.GetValueOrDefault(metric)?.Reason ?? string.Empty;
            table.AddRow(Markup.Escape(item.Id), Markup.Escape(Cut(item.Input)), Markup.Escape(Cut(string.Join(" | ", item.Expected))),
                Markup.Escape(Cut(output.Output ?? string.Empty)), Markup.Escape(Cut(why)));
        }

        console.Write(table);
        if (failing.Count > FailuresShown)
        {
            console.MarkupLineInterpolated($"[grey]… and {failing.Count - FailuresShown} more (adaptlab report {run.Id} --format html shows all)[/]");
        }

        console.MarkupLine("[bold]prompt[/]");
        console.WriteLine(prompt);
    }

    private static string ReadPrompt(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(file, null, "--prompt-file", "cannot read the new prompt: " + e.Message);
        }
    }

    /// <summary>The prompt as the user leaves it in <c>$VISUAL</c>, <c>$EDITOR</c> or vi, editing a copy (the file changes only if a run follows).</summary>
    private static string Edit(CliContext context, string promptPath, string text)
    {
        if (!context.Interactive)
        {
            throw new InputException(promptPath, null, "--prompt-file", "not on a terminal, so no editor can open: give the new prompt with --prompt-file");
        }

        var copy = Path.Combine(Path.GetTempPath(), $"adaptlab-refine-{Guid.NewGuid():N}{Path.GetExtension(promptPath)}");
        File.WriteAllText(copy, text);
        try
        {
            var editor = (Environment.GetEnvironmentVariable("VISUAL") ?? Environment.GetEnvironmentVariable("EDITOR") ?? "vi")
                .Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var start = new ProcessStartInfo(editor[0]) { UseShellExecute = false };
            foreach (var argument in editor.Skip(1).Append(copy))
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InputException(promptPath, null, null, $"cannot start the editor '{editor[0]}'");
            process.WaitForExit();
            return process.ExitCode == 0
                ? File.ReadAllText(copy)
                : throw new InputException(promptPath, null, null, $"the editor '{editor[0]}' exited with {process.ExitCode}; the prompt is unchanged");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InputException(promptPath, null, "EDITOR", $"cannot start the editor: {e.Message}");
        }
        finally
        {
            File.Delete(copy);
        }
    }

    private static void WriteOutcome(IAnsiConsole console, RunStore store, RunInfo baseline, RunInfo candidate, string variant, List<string> failing, int regression)
    {
        var metric = baseline.Config.PrimaryMetric().Key;
        var (stillFailing, _) = Split(store, candidate, variant);
        var fixedCount = failing.Count(id => !stillFailing.Contains(id));
        var broken = stillFailing.Count(id => !failing.Contains(id));
        console.MarkupLineInterpolated(
            $"run {candidate.Id}: {fixedCount} of {failing.Count} failing items now pass on {metric}; {broken} of {regression} passing items now fail");
        var comparison = RunComparer.Compare(store, baseline, candidate, [(variant, variant)]);
        var table = new Table().Border(TableBorder.Simple).AddColumns("metric", "before", "after", "after − before (95% CI)", "p (Holm)", "n");
        foreach (var r in comparison.Rows)
        {
            table.AddRow(Markup.Escape(r.Metric), Format.Value(r.ValueA), Format.Value(r.ValueB),
                Markup.Escape($"{Format.Signed(r.Difference)} {Format.Interval(r.Lower, r.Upper)}"), Format.PValue(r.AdjustedPValue),
                r.N.ToString(CultureInfo.InvariantCulture));
        }

        console.Write(table);
        if (comparison.Rows.Count > 0)
        {
            console.MarkupLine($"[grey]on the items run again only (failures and a seeded sample of passing items), paired by item id; {Markup.Escape(comparison.Rows[0].Method)}[/]");
        }
    }

    private static string Cut(string text) => text.Length <= 60 ? text.ReplaceLineEndings(" ") : text[..57].ReplaceLineEndings(" ") + "…";
}
