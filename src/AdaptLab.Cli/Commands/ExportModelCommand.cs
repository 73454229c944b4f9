using System.CommandLine;
using System.Text.Json;
using AdaptLab.Cli.Output;
using Spectre.Console;

namespace AdaptLab.Cli.Commands;

/// <summary><c>adaptlab export-model MODEL --gguf FILE</c>: a local model (fine-tuned, or an adapter with its base) as GGUF for llama.cpp and Ollama.</summary>
internal static class ExportModelCommand
{
    public static Command Create(CliContext context, GlobalOptions options)
    {
        var model = new Argument<string>("model") { Description = "A local model: a checkpoint or model folder, a fine-tuned --out folder, or a LoRA adapter folder (local: optional)" };
        var gguf = new Option<string>("--gguf") { Description = "The GGUF file to write", Required = true };
        var type = new Option<string>("--type") { Description = "Matrix type: f32, f16 or q8_0 (norms stay f32)", DefaultValueFactory = _ => "f16" };
        type.AcceptOnlyFromAmong("f32", "f16", "q8_0");
        var command = new Command("export-model", "Write a local model as GGUF for llama.cpp and Ollama (an adapter is merged into its base)") { model, gguf, type };
        command.SetAction((parse, _) =>
        {
            var path = parse.GetValue(model)!;
            path = path.StartsWith("local:", StringComparison.Ordinal) ? path["local:".Length..] : path;
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                return Task.FromResult(CliApp.Fail(context, ExitCodes.BadInput, $"{path}: no model file or folder there"));
            }

            var output = parse.GetValue(gguf)!;
            IReadOnlyDictionary<string, int> tensors;
            try
            {
                var exporter = (context.Providers.Exporter ?? throw new InvalidOperationException("this build has no model export"))();
                tensors = exporter.ExportGguf(path, output, parse.GetValue(type)!);
            }
            catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException or FormatException)
            {
                return Task.FromResult(CliApp.Fail(context, ExitCodes.BadInput, $"{path}: {e.Message}"));
            }

            if (parse.GetValue(options.Json))
            {
                context.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(new ExportedModel(Path.GetFullPath(output), new FileInfo(output).Length, tensors), JsonOutput.Compact));
            }
            else
            {
                var counts = string.Join(", ", tensors.OrderByDescending(t => t.Value).Select(t => $"{t.Value} {t.Key}"));
                context.Out.MarkupLineInterpolated($"[green]ok[/] {output} ({new FileInfo(output).Length / 1024.0:F0} KiB; tensors: {counts})");
            }

            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }
}

/// <summary>What <c>export-model --json</c> prints: the GGUF file, its size and its tensors by type.</summary>
internal sealed record ExportedModel(string File, long Bytes, IReadOnlyDictionary<string, int> Tensors);
