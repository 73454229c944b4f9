using System.Collections.Concurrent;
using AdaptLab.Abstractions;
using Microsoft.Extensions.AI;

namespace AdaptLab.Server.FineTuning;

/// <summary>
/// OpenAI's fine-tuning jobs over the in-process trainer: uploaded files, jobs that train the served base model (one
/// at a time: they share the machine), their events, cancellation, and the tuned models, which the server then serves
/// under their fine_tuned_model names. Files and trained models live under <see cref="Folder"/>.
/// </summary>
/// <param name="open">Opens a trained model folder as a chat client (as the base is served).</param>
public sealed class FineTuningJobs(ILocalTrainer trainer, string baseModelName, string baseModelPath, string folder, Func<string, IChatClient> open) : IDisposable
{
    private const double BaseLearningRate = 1e-3;
    private readonly ConcurrentDictionary<string, UploadedFile> files = new();
    private readonly ConcurrentDictionary<string, FineTuningJob> jobs = new();
    private readonly SemaphoreSlim machine = new(1);

    public string Folder { get; } = Path.GetFullPath(folder);

    internal string BaseModelName { get; } = baseModelName;

    internal UploadedFile AddFile(string filename, string purpose, byte[] content)
    {
        var id = "file-" + Guid.NewGuid().ToString("N")[..24];
        var path = Path.Combine(Folder, "files", id);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, content);
        var file = new UploadedFile(id, content.Length, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), filename, purpose, path);
        files[id] = file;
        return file;
    }

    internal UploadedFile? File(string id) => files.GetValueOrDefault(id);

    internal FineTuningJob? Job(string id) => jobs.GetValueOrDefault(id);

    internal IReadOnlyList<FineTuningJob> Jobs => [.. jobs.Values.OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id, StringComparer.Ordinal)];

    /// <summary>The chat client of a succeeded job's model, by its fine_tuned_model name.</summary>
    internal IChatClient? Model(string name) => jobs.Values.FirstOrDefault(j => j.Status == "succeeded" && j.FineTunedModel == name)?.Model?.Value;

    internal IEnumerable<string> ModelNames => jobs.Values.Where(j => j.Status == "succeeded").Select(j => j.FineTunedModel!);

    /// <summary>Queues a job on parsed training data; it starts when the machine is free.</summary>
    internal FineTuningJob Start(
        string trainingFile, IReadOnlyList<TrainingExample> training, string? validationFile, IReadOnlyList<TrainingExample> validation,
        JobHyperparameters hyperparameters, int seed, string? suffix)
    {
        var job = new FineTuningJob("ftjob-" + Guid.NewGuid().ToString("N")[..24], BaseModelName, trainingFile, validationFile, hyperparameters, seed, suffix);
        jobs[job.Id] = job;
        job.Log($"Validated {training.Count} training examples{(validationFile is null ? "" : $" and {validation.Count} validation examples")}");
        job.Log("Fine-tuning job queued");
        _ = Task.Run(() => Run(job, training, validation));
        return job;
    }

    /// <summary>Cancels a job that has not finished; a running one stops at its next step.</summary>
    internal void Cancel(FineTuningJob job)
    {
        if (job.Transition("cancelled"))
        {
            job.Log("Fine-tuning job cancelled");
            job.Cancellation.Cancel();
        }
    }

    private async Task Run(FineTuningJob job, IReadOnlyList<TrainingExample> training, IReadOnlyList<TrainingExample> validation)
    {
        try
        {
            await machine.WaitAsync(job.Cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            if (!job.Transition("running"))
            {
                return;
            }

            var h = job.Hyperparameters;
            var steps = Math.Max(1, (int)Math.Ceiling(h.Epochs * training.Count / (double)h.BatchSize));
            var options = new TrainingOptions(Steps: steps, BatchSize: h.BatchSize, LearningRate: BaseLearningRate * h.LearningRateMultiplier,
                WarmupSteps: Math.Max(1, steps / 10), Seed: job.Seed, CheckpointEvery: Math.Max(1, steps));
            job.Log($"Fine-tuning job started: {steps} steps of {h.BatchSize} examples ({h.Epochs} epochs)");
            var output = Path.Combine(Folder, "models", job.Id);
            var progress = new StepEvents(job);
            var result = await Task.Run(() => trainer.FineTune(baseModelPath, training, output, options, progress, job.Cancellation.Token, validation: validation));
            var name = $"ft:{BaseModelName}:{job.Suffix ?? "adaptlab"}:{job.Id[6..14]}";
            job.Succeed(name, result.Tokens, new Lazy<IChatClient>(() => open(output)));
            job.Log($"New fine-tuned model created: {name}");
            job.Log("The job has successfully completed");
        }
        catch (OperationCanceledException)
        {
            // Cancel already recorded it.
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException or InvalidOperationException or NotSupportedException)
        {
            job.Fail("training_failed", e.Message);
            job.Log($"Fine-tuning job failed: {e.Message}", level: "error");
        }
        finally
        {
            machine.Release();
        }
    }

    public void Dispose()
    {
        foreach (var job in jobs.Values)
        {
            Cancel(job);
            if (job.Model is { IsValueCreated: true } model)
            {
                model.Value.Dispose();
            }
        }

        machine.Dispose();
    }

    /// <summary>A metrics event per step, as OpenAI's jobs report train_loss.</summary>
    private sealed class StepEvents(FineTuningJob job) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => job.Log(
            FormattableString.Invariant($"Step {value.Step}/{value.Steps}: training loss={value.Loss:F4}"), "metrics",
            new { step = value.Step, train_loss = value.Loss, total_steps = value.Steps });
    }
}

internal sealed record UploadedFile(string Id, long Bytes, long CreatedAt, string Filename, string Purpose, string Path);
