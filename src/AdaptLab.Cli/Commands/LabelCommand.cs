using System.CommandLine;
using System.Text.Json;
using AdaptLab.Core.Reports;
using AdaptLab.Core.Store;
using Spectre.Console;
using AdaptLab.Core.Evidence;

namespace AdaptLab.Cli.Commands;

/// <summary>
/// <c>adaptlab label set|rollback|list</c>: a label (production, staging) points a task at a run, and so at its prompt
/// versions and model references; promotion and rollback are one command each, recorded with who, when and why.
/// </summary>
internal static class LabelCommand
{
    public static Command Create(CliContext context, GlobalOptions options)
    {
        var why = new Option<string?>("--why") { Description = "Why, for the record" };
        var by = new Option<string?>("--by") { Description = "Who (default: $USER)" };

        var setLabel = new Argument<string>("label") { Description = "e.g. production, staging" };
        var setRun = new Argument<string>("run") { Description = "Run id, prefix or 'latest'" };
        var set = new Command("set", "Promote: point the label of the run's task at the run") { setLabel, setRun, why, by };
        set.SetAction(parse =>
        {
            using var store = StoreAccess.Open(parse, options);
            var run = StoreAccess.FindRun(store, parse.GetValue(setRun)!);
            var entry = store.SetLabel(run.TaskName, parse.GetValue(setLabel)!, run.Id, GateEvaluator.Snapshot(store, run), Actor(parse.GetValue(by)), parse.GetValue(why));
            return Report(context, parse.GetValue(options.Json), entry);
        });

        var backLabel = new Argument<string>("label") { Description = "The label to roll back" };
        var task = new Option<string?>("--task") { Description = "The task whose label it is (needed when several tasks have it)" };
        var rollback = new Command("rollback", "Point the label back at the run it named before its last promotion") { backLabel, task, why, by };
        rollback.SetAction(parse =>
        {
            using var store = StoreAccess.Open(parse, options);
            var label = parse.GetValue(backLabel)!;
            var tasks = store.Labels(parse.GetValue(task)).Where(l => l.Label == label).Select(l => l.TaskName).Distinct().ToList();
            if (tasks.Count != 1)
            {
                throw new InputException(store.Path, null, "--task", tasks.Count == 0
                    ? $"no task has the label '{label}'"
                    : $"several tasks have the label '{label}' ({string.Join(", ", tasks)}): name one with --task");
            }

            try
            {
                return Report(context, parse.GetValue(options.Json), store.RollBackLabel(tasks[0], label, Actor(parse.GetValue(by)), parse.GetValue(why)));
            }
            catch (InvalidOperationException e)
            {
                return CliApp.Fail(context, ExitCodes.BadInput, e.Message);
            }
        });

        var listTask = new Option<string?>("--task") { Description = "Only this task's labels" };
        var list = new Command("list", "Every promotion and rollback, newest first, with who, when and why") { listTask };
        list.SetAction(parse =>
        {
            using var store = StoreAccess.Open(parse, options);
            var entries = store.Labels(parse.GetValue(listTask));
            if (parse.GetValue(options.Json))
            {
                context.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(entries, JsonReport.Options));
                return ExitCodes.Ok;
            }

            var table = new Table().Border(TableBorder.Simple).AddColumns("when (UTC)", "task", "label", "run", "action", "who", "why");
            foreach (var e in entries)
            {
                table.AddRow(Markup.Escape($"{e.At:yyyy-MM-dd HH:mm:ss}"), Markup.Escape(e.TaskName), Markup.Escape(e.Label), Markup.Escape(e.RunId),
                    Markup.Escape(e.Action), Markup.Escape(e.Actor), Markup.Escape(e.Reason ?? string.Empty));
            }

            context.Out.Write(table);
            return ExitCodes.Ok;
        });

        return new Command("label", "Labels (production, staging) with promotion, rollback and their history") { set, rollback, list };
    }

    private static string Actor(string? given) =>
        given ?? Environment.GetEnvironmentVariable("USER") ?? Environment.GetEnvironmentVariable("USERNAME") ?? Environment.UserName;

    private static int Report(CliContext context, bool json, LabelEntry entry)
    {
        if (json)
        {
            context.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(entry, JsonReport.Options));
        }
        else
        {
            context.Out.MarkupLineInterpolated($"[green]{entry.Action}[/] {entry.TaskName} [bold]{entry.Label}[/] → run {entry.RunId} (by {entry.Actor})");
        }

        return ExitCodes.Ok;
    }
}
