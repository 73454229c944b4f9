using System.Text.Json;
using AdaptLab.Core.Models;
using AdaptLab.Core.Store;
using AdaptLab.Core.Tasks;

namespace AdaptLab.Core.Training;

/// <summary>
/// <c>adaptlab finetune-job</c>: the train split (and dev split) rendered through the variant's pipeline as OpenAI chat
/// JSONL, uploaded to the variant's provider, a fine-tuning job of the variant's model created and followed to its end
/// (its events reported as they come), cancelled if the caller cancels; the resulting model recorded with a card.
/// </summary>
internal static class ProviderJobRunner
{
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(5);

    /// <exception cref="InputException">The variant's model is not an OpenAI or OpenAI-compatible one, or its key is missing.</exception>
    /// <exception cref="FineTuningJobException">The provider refused a call.</exception>
    public static async Task<ProviderJobResult> RunAsync(
        TaskDefinition task, VariantSpec variant, ProviderJobOptions options, ModelProviders providers, HttpClient http,
        IProgress<FineTuningJobEvent>? events, CancellationToken cancellationToken, RunStore? store = null)
    {
        var reference = ModelReference.Parse(variant.Model.Reference);
        var field = $"variants.{variant.Name}.model";
        if (reference.Provider is not ("openai" or "openai-compatible"))
        {
            throw new InputException(task.SourcePath, null, field,
                $"'{variant.Model.Reference}' is not an OpenAI or OpenAI-compatible model; local models train with `adaptlab finetune`");
        }

        var keyVariable = variant.Model.ApiKeyEnv ?? "OPENAI_API_KEY";
        var endpoint = variant.Model.Endpoint ?? (reference.Provider == "openai" ? Environment.GetEnvironmentVariable("OPENAI_BASE_URL") ?? "https://api.openai.com/v1" : null)
            ?? throw new InputException(task.SourcePath, null, field, $"'{variant.Model.Reference}' needs an endpoint");
        var key = Environment.GetEnvironmentVariable(keyVariable) is { Length: > 0 } k ? k
            : reference.Provider == "openai" ? throw new InputException(task.SourcePath, null, field, $"set the environment variable {keyVariable} to the provider's API key")
            : "unused";
        var client = new FineTuningJobClient(http, OpenAiProvider.EndpointUri(endpoint, reference), key);

        var folder = Directory.CreateTempSubdirectory("adaptlab-job-").FullName;
        try
        {
            var training = (await TrainingDataExport.WriteAsync(task, variant, "train", ExportFormat.OpenAi, folder, providers, cancellationToken))[0];
            var validation = task.Data.Dev is null ? null
                : (await TrainingDataExport.WriteAsync(task, variant, "dev", ExportFormat.OpenAi, folder, providers, cancellationToken))[0];
            var trainingId = await client.UploadAsync(training, cancellationToken);
            var validationId = validation is null ? null : await client.UploadAsync(validation, cancellationToken);
            var job = await client.CreateAsync(
                new FineTuningJobRequest(reference.Name, trainingId, validationId, options.Epochs, options.BatchSize, options.LearningRateMultiplier, options.Suffix, options.Seed),
                cancellationToken);
            job = await FollowAsync(client, job, options.PollInterval, events, cancellationToken);
            var result = new ProviderJobResult(job, trainingId, validationId, endpoint,
                job.FineTunedModel is { } tuned ? $"{reference.Provider}:{tuned}" : null);
            if (job.Status == "succeeded" && store is not null)
            {
                var card = new
                {
                    method = "provider-job",
                    base_model = variant.Model.Reference,
                    model = result.Reference,
                    endpoint,
                    task = task.SourcePath,
                    variant = variant.Name,
                    train = task.Data.Train,
                    job = result.Job,
                    training_file = trainingId,
                    validation_file = validationId,
                    options,
                    finished_at = DateTimeOffset.UtcNow,
                };
                store.SaveTrainedModel(new TrainedModelInfo(
                    $"{result.Reference} {endpoint}", $"{variant.Model.Reference} {endpoint}", result.Reference!, task.SourcePath, variant.Name,
                    JsonSerializer.Serialize(card, CardJson), card.finished_at));
            }

            return result;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Polls until the job finishes, reporting each new event once; cancelling cancels the job too.</summary>
    private static async Task<FineTuningJobStatus> FollowAsync(
        FineTuningJobClient client, FineTuningJobStatus job, TimeSpan interval, IProgress<FineTuningJobEvent>? events, CancellationToken cancellationToken)
    {
        string? last = null;
        try
        {
            while (true)
            {
                foreach (var e in await client.EventsAsync(job.Id, last, cancellationToken))
                {
                    events?.Report(e);
                    last = e.Id;
                }

                if (job.IsFinished)
                {
                    return job;
                }

                await Task.Delay(interval, cancellationToken);
                job = await client.GetAsync(job.Id, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Leaving a job running at the provider after the user stopped would cost money unseen.
            await client.CancelAsync(job.Id, CancellationToken.None);
            throw;
        }
    }

    private static readonly JsonSerializerOptions CardJson = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}

internal sealed record ProviderJobOptions(int? Epochs = null, int? BatchSize = null, double? LearningRateMultiplier = null, string? Suffix = null, int? Seed = null)
{
    public TimeSpan PollInterval { get; init; } = ProviderJobRunner.DefaultPollInterval;
}

/// <param name="Reference">The tuned model as a task file names it (with the same endpoint), once the job succeeded.</param>
internal sealed record ProviderJobResult(FineTuningJobStatus Job, string TrainingFile, string? ValidationFile, string Endpoint, string? Reference);
