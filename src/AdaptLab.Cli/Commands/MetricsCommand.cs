using System.CommandLine;
using System.Text.Json;
using AdaptLab.Metrics;
using Spectre.Console;

namespace AdaptLab.Cli.Commands;

/// <summary><c>adaptlab metrics</c>: the metric names a task file may use.</summary>
internal static class MetricsCommand
{
    public static Command Create(CliContext context, GlobalOptions options)
    {
        var command = new Command("metrics", "List the metrics a task file may name");
        command.SetAction(parse =>
        {
            var rows = MetricCatalog.Names.Order(StringComparer.Ordinal)
                .Select(name => (Name: name, Metric: TryCreate(name)))
                .ToList();
            if (parse.GetValue(options.Json))
            {
                context.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(rows.Select(r => new
                {
                    name = r.Name,
                    shape = r.Metric?.Shape.ToString(),
                    higher_is_better = r.Metric?.HigherIsBetter,
                })));
                return ExitCodes.Ok;
            }

            var table = new Table().Border(TableBorder.Simple).AddColumns("metric", "interval", "better");
            foreach (var (name, metric) in rows)
            {
                table.AddRow(name, metric?.Shape switch
                {
                    MetricShape.MeanOfBinary => "Wilson",
                    MetricShape.MeanOfItems => "bootstrap (per-item scores)",
                    MetricShape.Corpus => "bootstrap (recomputed)",
                    _ => "needs options",
                }, metric is null ? "–" : metric.HigherIsBetter ? "higher" : "lower");
            }

            context.Out.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Metrics with required options (json_schema, pass_at_k) cannot be built bare.</summary>
    private static IMetric? TryCreate(string name)
    {
        try
        {
            return MetricCatalog.Create(name);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
