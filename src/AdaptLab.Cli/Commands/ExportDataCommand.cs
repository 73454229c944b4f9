using System.CommandLine;
using AdaptLab.Cli.Output;
using AdaptLab.Core.Tasks;
using AdaptLab.Core.Training;
using Spectre.Console;

namespace AdaptLab.Cli.Commands;

/// <summary><c>adaptlab export-data TASK --variant V --format F --out DIR</c>: training data for external trainers and provider jobs, rendered as the eval renders.</summary>
internal static class ExportDataCommand
{
    public static Command Create(CliContext context, GlobalOptions options)
    {
        var task = new Argument<string>("task") { Description = "Task file (adaptlab.yaml)" };
        var variant = new Option<string>("--variant") { Description = "The variant whose prompt and context steps render the items", Required = true };
        var format = new Option<string>("--format") { Description = "openai | trl | axolotl | llamafactory", Required = true };
        format.AcceptOnlyFromAmong("openai", "trl", "axolotl", "llamafactory");
        var split = new Option<string>("--split") { Description = "train (default), dev or test", DefaultValueFactory = _ => "train" };
        split.AcceptOnlyFromAmong("train", "dev", "test");
        var output = new Option<string>("--out") { Description = "Folder for the data file (and the trainer's config)", Required = true };
        var command = new Command("export-data", "Write a split as training data for OpenAI fine-tuning, TRL, Axolotl or LLaMA-Factory, with the eval's prompts")
        {
            task, variant, format, split, output,
        };
        command.SetAction(async (parse, ct) =>
        {
            var definition = TaskFileLoader.Load(parse.GetValue(task)!);
            var spec = definition.Variant(parse.GetValue(variant)!);

            var kind = parse.GetValue(format) switch
            {
                "openai" => ExportFormat.OpenAi,
                "trl" => ExportFormat.Trl,
                "axolotl" => ExportFormat.Axolotl,
                _ => ExportFormat.LlamaFactory,
            };
            var files = await TrainingDataExport.WriteAsync(definition, spec, parse.GetValue(split)!, kind, parse.GetValue(output)!, context.Providers, ct);
            if (parse.GetValue(options.Json))
            {
                context.Out.Profile.Out.Writer.WriteLine(System.Text.Json.JsonSerializer.Serialize(new ExportedFiles(files), JsonOutput.Compact));
            }
            else
            {
                context.Out.MarkupLineInterpolated($"[green]ok[/] {string.Join(", ", files)}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}

/// <summary>What <c>export-data --json</c> prints: the files written.</summary>
internal sealed record ExportedFiles(IReadOnlyList<string> Files);
