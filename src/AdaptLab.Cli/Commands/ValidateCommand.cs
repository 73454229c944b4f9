using System.CommandLine;
using System.Text.Json;
using AdaptLab.Cli.Output;
using AdaptLab.Core.Items;
using AdaptLab.Core.Tasks;
using Spectre.Console;

namespace AdaptLab.Cli.Commands;

/// <summary>
/// <c>adaptlab validate TASK</c>: the task file, its data splits, every item's prompt and, for local
/// models, its length against the context window, without calling a model.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create(CliContext context, GlobalOptions options)
    {
        var task = new Argument<string>("task") { Description = "Task file (adaptlab.yaml)" };
        var command = new Command("validate", "Check a task file, its data and its prompts without calling any model") { task };
        command.SetAction(parse =>
        {
            var definition = TaskFileLoader.Load(parse.GetValue(task)!);
            var splits = new[] { ("test", definition.Data.Test), ("train", definition.Data.Train), ("dev", definition.Data.Dev) }
                .Where(s => s.Item2 is not null)
                .Select(s => (Split: s.Item1, Dataset: DatasetLoader.Load(s.Item2!, definition.Data)))
                .ToList();
            ItemFieldChecks.Check(definition, splits[0].Dataset);

            var labels = LabelSet.Resolve(definition, splits.Select(s => s.Dataset));
            var (longest, warnings) = PromptChecks.Check(definition, splits[0].Dataset, labels, context.Providers);
            foreach (var warning in warnings)
            {
                context.Error.WriteLine("warning: " + warning);
            }

            if (parse.GetValue(options.Json))
            {
                context.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(
                    new ValidationJson(
                        Valid: true,
                        definition.Name,
                        [.. splits.Select(s => new SplitJson(s.Split, s.Dataset.Path, s.Dataset.Items.Count, s.Dataset.ContentHash))],
                        [.. definition.Variants.Select(v => v.Name)],
                        labels?.Count,
                        longest,
                        warnings),
                    JsonOutput.Compact));
                return ExitCodes.Ok;
            }

            var summary = $"{definition.Name}: {string.Join(", ", splits.Select(s => $"{s.Split} {s.Dataset.Items.Count} items"))}; " +
                $"{definition.Variants.Count} variant(s); metrics {string.Join(", ", definition.Metrics.Select(m => m.Key))}" +
                (labels is null ? string.Empty : $"; {labels.Count} labels") +
                string.Concat(longest.Select(l => $"; {l.Key}: longest prompt {l.Value} tokens"));
            context.Out.MarkupLineInterpolated($"[green]ok[/] {summary}");
            return ExitCodes.Ok;
        });
        return command;
    }
}

/// <summary>What <c>validate --json</c> prints for a valid task file (an invalid one exits with the error instead).</summary>
/// <param name="Labels">The size of a classification task's label set; null for other tasks.</param>
/// <param name="LongestPromptTokens">Per local model, the longest rendered prompt in its own tokens.</param>
internal sealed record ValidationJson(
    bool Valid, string Task, IReadOnlyList<SplitJson> Splits, IReadOnlyList<string> Variants, int? Labels, IReadOnlyDictionary<string, int> LongestPromptTokens, IReadOnlyList<string> Warnings);

internal sealed record SplitJson(string Split, string Path, int Items, string Sha256);
