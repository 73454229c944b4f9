using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AdaptLab.Cli.Output;
using Spectre.Console;

namespace AdaptLab.Cli.Commands;

/// <summary><c>adaptlab runs</c>: the newest runs in the store.</summary>
internal static class RunsCommand
{
    public static Command Create(CliContext context, GlobalOptions options)
    {
        var limit = new Option<int>("--limit") { Description = "How many runs to list", DefaultValueFactory = _ => 20 };
        var command = new Command("runs", "List the runs in the store, newest first") { limit };
        command.SetAction(parse =>
        {
            using var store = StoreAccess.Open(parse, options);
            var runs = store.ListRuns(parse.GetValue(limit));
            if (parse.GetValue(options.Json))
            {
                context.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(
                    runs.Select(r => new RunJson(r.Id, r.TaskName, r.TaskPath, r.State, r.ItemCount, r.StartedAt, r.FinishedAt)), JsonOutput.Compact));
                return ExitCodes.Ok;
            }

            if (runs.Count == 0)
            {
                context.Out.MarkupLine("[grey]no runs yet: start one with `adaptlab eval TASK`[/]");
                return ExitCodes.Ok;
            }

            var table = new Table().Border(TableBorder.Simple).AddColumns("run", "task", "status", "items", "started");
            foreach (var r in runs)
            {
                table.AddRow(Markup.Escape(r.Id), Markup.Escape(r.TaskName), r.IsCompleted ? r.State : $"[yellow]{r.State}[/]",
                    r.ItemCount.ToString(CultureInfo.InvariantCulture), r.StartedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
            }

            context.Out.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}

/// <summary>A run as <c>runs --json</c> lists it.</summary>
/// <param name="Status">completed or unfinished.</param>
internal sealed record RunJson(string Id, string Task, string TaskPath, string Status, int Items, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt);
