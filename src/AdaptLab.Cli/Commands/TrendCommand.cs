using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AdaptLab.Core.Reports;
using AdaptLab.Core.Store;
using Spectre.Console;
using AdaptLab.Core.Evidence;

namespace AdaptLab.Cli.Commands;

/// <summary><c>adaptlab trend TASK</c>: a task's completed runs over time, a metric per variant with its interval, and the labels on them.</summary>
internal static class TrendCommand
{
    public static Command Create(CliContext context, GlobalOptions options)
    {
        var task = new Argument<string>("task") { Description = "The task's name (as in its task file)" };
        var metric = new Option<string?>("--metric") { Description = "The metric to follow (default: the task's first)" };
        var limit = new Option<int>("--limit") { Description = "How many of the newest runs", DefaultValueFactory = _ => 30 };
        var command = new Command("trend", "A task's metric over its completed runs, oldest first, with the labels on them") { task, metric, limit };
        command.SetAction(parse =>
        {
            using var store = StoreAccess.Open(parse, options);
            var name = parse.GetValue(task)!;
            var runs = store.ListRuns(int.MaxValue).Where(r => r.TaskName == name && r.IsCompleted).Take(parse.GetValue(limit)).Reverse().ToList();
            if (runs.Count == 0)
            {
                throw new InputException(store.Path, null, null, $"task '{name}' has no completed run (see `adaptlab runs`)");
            }

            var followed = parse.GetValue(metric) ?? runs[^1].Config.Metrics[0].Key;
            var labels = store.Labels(name).GroupBy(l => l.Label).Select(g => g.First()).ToLookup(l => l.RunId, l => l.Label);
            var rows = runs.Select(r => (Run: r, Results: store.GetMetricResults(r.Id).Where(m => m.Metric == followed).ToList())).ToList();
            if (parse.GetValue(options.Json))
            {
                context.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(
                    rows.Select(row => new TrendPointJson(row.Run.Id, row.Run.StartedAt, [.. labels[row.Run.Id]], followed, row.Results)), JsonReport.Options));
                return ExitCodes.Ok;
            }

            var variants = rows.SelectMany(r => r.Results.Select(m => m.Variant)).Distinct().ToList();
            var table = new Table().Border(TableBorder.Simple).AddColumns("started (UTC)", "run", "labels");
            variants.ForEach(v => table.AddColumn(new TableColumn(Markup.Escape(v)).RightAligned()));
            foreach (var (run, results) in rows)
            {
                var cells = new List<string>
                {
                    run.StartedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), Markup.Escape(run.Id), Markup.Escape(string.Join(", ", labels[run.Id])),
                };
                cells.AddRange(variants.Select(v => results.FirstOrDefault(m => m.Variant == v) is { } m
                    ? $"{Format.Value(m.Value)} [grey]{Markup.Escape(Format.Interval(m.Lower, m.Upper))}[/]"
                    : "–"));
                table.AddRow(cells.ToArray());
            }

            context.Out.MarkupLineInterpolated($"[bold]{name}[/]: {followed} over {rows.Count} completed runs");
            context.Out.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}

/// <summary>A completed run as <c>trend --json</c> lists it: the labels on it and each variant's result on the followed metric.</summary>
internal sealed record TrendPointJson(string Run, DateTimeOffset StartedAt, IReadOnlyList<string> Labels, string Metric, IReadOnlyList<MetricResult> Variants);
