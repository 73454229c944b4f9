using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AdaptLab.Abstractions;
using AdaptLab.Core.Models;
using AdaptLab.Core.Readiness;
using AdaptLab.Core.Reports;
using AdaptLab.Core.Tasks;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace AdaptLab.Cli.Commands;

/// <summary>
/// <c>adaptlab readiness TASK</c>: is the data ready to fine-tune on? Exit 0 when ready (with or without warnings),
/// 1 when not ready, so CI can gate on it.
/// </summary>
internal static class ReadinessCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
    };

    public static Command Create(CliContext context, GlobalOptions options)
    {
        var task = new Argument<string>("task") { Description = "Task file (adaptlab.yaml)" };
        var html = new Option<string?>("--html") { Description = "Also write the report as an HTML file" };
        var command = new Command("readiness", "Check the data for fine-tuning: balance, duplicates, leakage, conflicting labels, lengths, personal data") { task, html };
        command.SetAction(parse =>
        {
            var definition = TaskFileLoader.Load(parse.GetValue(task)!);
            var (client, tokenizer) = LocalTokenizer(definition, context.Providers);
            using (client)
            {
                var report = ReadinessCheck.Run(
                    definition,
                    tokenizer is null ? null : text => tokenizer.CountPromptTokens([new ChatMessage(ChatRole.User, text)]),
                    tokenizer?.ContextLength,
                    tokenizer is null ? null : "the model's own");
                if (parse.GetValue(html) is { } file)
                {
                    AtomicFile.Write(file, ReadinessHtml.Render(report));
                }

                if (parse.GetValue(options.Json))
                {
                    context.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(report, Json));
                }
                else
                {
                    Write(context.Out, report);
                }

                return report.Verdict == Verdict.NotReady ? ExitCodes.GateMissed : ExitCodes.Ok;
            }
        });
        return command;
    }

    /// <summary>The first local model's tokenizer and context window: lengths are counted as that model will see them.</summary>
    private static (IChatClient? Client, IModelTokenizer? Tokenizer) LocalTokenizer(TaskDefinition task, ModelProviders providers)
    {
        var local = task.Variants.FirstOrDefault(v => ModelReference.Parse(v.Model.Reference).Provider == "local");
        if (local is null)
        {
            return (null, null);
        }

        var client = providers.Create(local.Model);
        return (client, client.GetService<IModelTokenizer>());
    }

    private static void Write(IAnsiConsole console, ReadinessReport report)
    {
        var colour = report.Verdict switch { Verdict.Ready => "green", Verdict.ReadyWithWarnings => "yellow", _ => "red" };
        console.MarkupLineInterpolated($"[bold]{report.Task}[/]: [{colour}]{ReadinessText.Verdict(report.Verdict)}[/]");
        var table = new Table().Border(TableBorder.Simple).AddColumns("split", "items", "labels", "imbalance", $"input tokens ({report.Tokenizer}) p50/p95/max", "exact dup.", "near dup.", "conflicting", "personal data");
        foreach (var s in report.Splits)
        {
            table.AddRow(
                Markup.Escape(s.Split), s.Items.ToString(CultureInfo.InvariantCulture), s.Labels?.Count.ToString(CultureInfo.InvariantCulture) ?? "–",
                s.Imbalance?.ToString("F1", CultureInfo.InvariantCulture) ?? "–", string.Create(CultureInfo.InvariantCulture, $"{s.InputTokens.P50}/{s.InputTokens.P95}/{s.InputTokens.Max}"),
                s.ExactDuplicates.ToString(CultureInfo.InvariantCulture), s.NearDuplicates.ToString(CultureInfo.InvariantCulture), s.ConflictingLabels.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(string.Join(", ", s.Pii.Select(p => $"{p.Key} {p.Value}"))));
        }

        console.Write(table);
        foreach (var f in report.Findings)
        {
            console.MarkupLineInterpolated($"[{(f.Severity == Severity.Blocker ? "red" : "yellow")}]{(f.Severity == Severity.Blocker ? "blocker" : "warning")}[/] {f.Message}");
            foreach (var example in f.Examples)
            {
                console.MarkupLineInterpolated($"    [grey]{example}[/]");
            }
        }

        console.MarkupLineInterpolated($"[grey]{ReadinessText.Power(report)}[/]");
    }
}
