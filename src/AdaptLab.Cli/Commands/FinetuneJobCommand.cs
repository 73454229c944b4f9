using System.CommandLine;
using System.Text.Json;
using AdaptLab.Cli.Output;
using AdaptLab.Core.Tasks;
using AdaptLab.Core.Training;
using Spectre.Console;

namespace AdaptLab.Cli.Commands;

/// <summary>
/// <c>adaptlab finetune-job TASK --variant V</c>: a fine-tuning job of the variant's OpenAI or OpenAI-compatible model on the
/// train split, rendered as the eval renders, followed to its end; Ctrl+C cancels the job at the provider.
/// </summary>
internal static class FinetuneJobCommand
{
    public static Command Create(CliContext context, GlobalOptions options)
    {
        var task = new Argument<string>("task") { Description = "Task file (adaptlab.yaml) with data.train" };
        var variant = new Option<string>("--variant") { Description = "The variant whose prompt renders the data and whose model is the base", Required = true };
        var epochs = new Option<int?>("--epochs") { Description = "n_epochs (default: the provider's auto)" };
        var batch = new Option<int?>("--batch") { Description = "batch_size (default: the provider's auto)" };
        var rate = new Option<double?>("--lr-multiplier") { Description = "learning_rate_multiplier (default: the provider's auto)" };
        var suffix = new Option<string?>("--suffix") { Description = "Added to the tuned model's name" };
        var seed = new Option<int?>("--seed") { Description = "The job's seed" };
        var poll = new Option<double>("--poll") { Description = "Seconds between status checks", DefaultValueFactory = _ => 5 };
        var command = new Command("finetune-job", "Fine-tune a variant's OpenAI or OpenAI-compatible model through the provider's fine-tuning jobs API (Ctrl+C cancels the job)")
        {
            task, variant, epochs, batch, rate, suffix, seed, poll,
        };
        command.SetAction(async (parse, ct) =>
        {
            var definition = TaskFileLoader.Load(parse.GetValue(task)!);
            var spec = definition.Variant(parse.GetValue(variant)!);

            if (parse.GetValue(poll) <= 0)
            {
                return CliApp.Fail(context, ExitCodes.BadInput, "--poll must be above 0 seconds");
            }

            var jobOptions = new ProviderJobOptions(parse.GetValue(epochs), parse.GetValue(batch), parse.GetValue(rate), parse.GetValue(suffix), parse.GetValue(seed))
            {
                PollInterval = TimeSpan.FromSeconds(parse.GetValue(poll)),
            };
            var json = parse.GetValue(options.Json);
            var quiet = json || !context.Interactive;
            var events = new Reporter(e =>
            {
                var line = $"{DateTimeOffset.FromUnixTimeSeconds(e.CreatedAt).ToLocalTime():HH:mm:ss} {e.Message}";
                if (quiet)
                {
                    context.Error.WriteLine(line);
                }
                else
                {
                    context.Out.WriteLine(line);
                }
            });
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
            using var store = StoreAccess.Open(parse, options);
            ProviderJobResult result;
            try
            {
                result = await ProviderJobRunner.RunAsync(definition, spec, jobOptions, context.Providers, http, events, ct, store);
            }
            catch (Exception e) when (e is FineTuningJobException or HttpRequestException)
            {
                return CliApp.Fail(context, ExitCodes.Infrastructure, $"fine-tuning job: {e.Message}");
            }

            if (json)
            {
                context.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(result, JsonOutput.Compact));
            }

            if (result.Job.Status != "succeeded")
            {
                return CliApp.Fail(context, ExitCodes.Infrastructure, $"job {result.Job.Id} {result.Job.Status}{(result.Job.Error is { } error ? $": {error}" : string.Empty)}");
            }

            if (!json)
            {
                context.Out.MarkupLineInterpolated($"[green]ok[/] job {result.Job.Id} succeeded ({result.Job.TrainedTokens} tokens trained)");
                context.Out.MarkupLineInterpolated($"use it as [bold]{{ ref: \"{result.Reference}\", endpoint: \"{result.Endpoint}\" }}[/] in the task's models");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private sealed class Reporter(Action<FineTuningJobEvent> report) : IProgress<FineTuningJobEvent>
    {
        public void Report(FineTuningJobEvent value) => report(value);
    }
}
