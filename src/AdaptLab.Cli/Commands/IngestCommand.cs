using System.CommandLine;
using System.Text.Json;
using AdaptLab.Cli.Output;
using AdaptLab.Core.Tasks;
using AdaptLab.Core.Variants;
using Spectre.Console;

namespace AdaptLab.Cli.Commands;

/// <summary>
/// <c>adaptlab ingest TASK</c>: brings the task's corpus index up to date (only changed files are read and embedded
/// again), with progress bars; skipped files are warned about, naming them.
/// </summary>
internal static class IngestCommand
{
    public static Command Create(CliContext context, GlobalOptions options)
    {
        var task = new Argument<string>("task") { Description = "Task file (adaptlab.yaml) with a corpus section" };
        var command = new Command("ingest", "Chunk, index and embed the task's corpus; a re-ingest redoes only changed files") { task };
        command.SetAction(async (parse, ct) =>
        {
            var definition = TaskFileLoader.Load(parse.GetValue(task)!);
            if (definition.Corpus is null)
            {
                return CliApp.Fail(context, ExitCodes.BadInput, $"{parse.GetValue(task)}: the task has no `corpus` section to ingest");
            }

            var json = parse.GetValue(options.Json);
            TaskCorpus? corpus = null;
            if (context.Interactive && !json)
            {
                await context.Out.Progress()
                    .AutoClear(true)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .StartAsync(async progress => corpus = await TaskCorpus.OpenAsync(definition, context.Providers, definition.Variants, new IngestBars(progress), ct, always: true));
            }
            else
            {
                corpus = await TaskCorpus.OpenAsync(definition, context.Providers, definition.Variants, null, ct, always: true);
            }

            using (corpus)
            {
                var result = corpus!.Ingest;
                foreach (var warning in result.Warnings)
                {
                    context.Error.WriteLine("warning: " + warning);
                }

                if (json)
                {
                    context.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(
                        new IngestJson(
                            definition.Corpus.IndexPath, result.Version, result.Files, result.Changed, result.Unchanged, result.Removed, result.Chunks,
                            result.Embedded, corpus.Index.Encoder, result.Warnings),
                        JsonOutput.Compact));
                }
                else
                {
                    context.Out.MarkupLineInterpolated(
                        $"[green]ok[/] {definition.Name}: {result.Files} file(s) ({result.Changed} read, {result.Unchanged} unchanged, {result.Removed} removed), {result.Chunks} chunks, {result.Embedded} embedded; index {result.Version} in {definition.Corpus.IndexPath}");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}

/// <summary>What <c>ingest --json</c> prints: the index, its version and what this ingest did.</summary>
/// <param name="Encoder">The embedding model the index was embedded with; null for a lexical index.</param>
internal sealed record IngestJson(
    string Index, string Version, int Files, int Changed, int Unchanged, int Removed, int Chunks, int Embedded, string? Encoder, IReadOnlyList<string> Warnings);
