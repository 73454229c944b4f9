using System.CommandLine;
using System.Text.Json;
using AdaptLab.Cli.Output;
using AdaptLab.Metrics;
using Spectre.Console;

namespace AdaptLab.Cli.Commands;

/// <summary><c>adaptlab metrics</c>: the metric names a task file may use, with their options.</summary>
internal static class MetricsCommand
{
    public static Command Create(CliContext context, GlobalOptions options)
    {
        var command = new Command("metrics", "List the metrics a task file may name, with their options");
        command.SetAction(parse =>
        {
            var rows = MetricCatalog.All.OrderBy(d => d.Name, StringComparer.Ordinal)
                .Select(d => (Definition: d, Metric: TryCreate(d.Name)))
                .ToList();
            if (parse.GetValue(options.Json))
            {
                context.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(
                    rows.Select(r => new MetricJson(
                        r.Definition.Name,
                        r.Definition.Description,
                        r.Metric?.Shape.ToString(),
                        r.Metric?.HigherIsBetter,
                        [.. r.Definition.Options.Select(o => new MetricOptionJson(o.Name, o.Type.ToString().ToLowerInvariant(), o.Default, o.Choices, o.Description))])),
                    JsonOutput.Compact));
                return ExitCodes.Ok;
            }

            var table = new Table().Border(TableBorder.Simple).AddColumns("metric", "interval", "better", "options (default)");
            foreach (var (definition, metric) in rows)
            {
                table.AddRow(
                    Markup.Escape(definition.Name),
                    metric?.Shape switch
                    {
                        MetricShape.MeanOfBinary => "Wilson",
                        MetricShape.MeanOfItems => "bootstrap (per-item scores)",
                        MetricShape.Corpus => "bootstrap (recomputed)",
                        _ => "needs options",
                    },
                    metric is null ? "–" : metric.HigherIsBetter ? "higher" : "lower",
                    Markup.Escape(string.Join("\n", definition.Options.Select(Describe))));
            }

            context.Out.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Describe(MetricOptionSpec option)
    {
        var values = option.Choices is { } choices ? string.Join("|", choices) : option.Type.ToString().ToLowerInvariant();
        var fallback = option.Default is null ? string.Empty : $" = {option.Default}";
        return $"{option.Name}: {values}{fallback}  {option.Description}";
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

/// <summary>A metric as <c>metrics --json</c> lists it; its shape and direction are null where it cannot be built without options.</summary>
internal sealed record MetricJson(string Name, string Description, string? Shape, bool? HigherIsBetter, IReadOnlyList<MetricOptionJson> Options);

internal sealed record MetricOptionJson(string Name, string Type, string? Default, IReadOnlyList<string>? Choices, string Description);
