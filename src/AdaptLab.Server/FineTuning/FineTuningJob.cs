using Microsoft.Extensions.AI;

namespace AdaptLab.Server.FineTuning;

/// <summary>
/// One job: queued, then running on the in-process trainer, then succeeded (its model served under
/// <see cref="FineTunedModel"/>), failed or cancelled. Its events are kept in order; readers take snapshots.
/// </summary>
internal sealed class FineTuningJob(string id, string baseModel, string trainingFile, string? validationFile, JobHyperparameters hyperparameters, int seed, string? suffix)
{
    private readonly Lock gate = new();
    private readonly List<JobEvent> events = [];

    public string Id { get; } = id;

    public string BaseModel { get; } = baseModel;

    public string TrainingFile { get; } = trainingFile;

    public string? ValidationFile { get; } = validationFile;

    public JobHyperparameters Hyperparameters { get; } = hyperparameters;

    public int Seed { get; } = seed;

    public string? Suffix { get; } = suffix;

    public long CreatedAt { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public CancellationTokenSource Cancellation { get; } = new();

    public string Status { get; private set; } = "queued";

    public long? FinishedAt { get; private set; }

    public string? FineTunedModel { get; private set; }

    public long? TrainedTokens { get; private set; }

    public (string Code, string Message)? Error { get; private set; }

    /// <summary>The tuned model, opened on first use once the job has succeeded.</summary>
    public Lazy<IChatClient>? Model { get; private set; }

    public bool IsFinished => Status is "succeeded" or "failed" or "cancelled";

    public IReadOnlyList<JobEvent> Events
    {
        get
        {
            lock (gate)
            {
                return [.. events];
            }
        }
    }

    public void Log(string message, string type = "message", object? data = null, string level = "info")
    {
        lock (gate)
        {
            events.Add(new JobEvent($"ftevent-{Id[6..]}-{events.Count:D5}", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), level, message, type, data));
        }
    }

    /// <summary>Moves on unless the job already finished (a cancel that came first stays).</summary>
    public bool Transition(string status)
    {
        lock (gate)
        {
            if (IsFinished)
            {
                return false;
            }

            Status = status;
            if (IsFinished)
            {
                FinishedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            }

            return true;
        }
    }

    public void Succeed(string fineTunedModel, long tokens, Lazy<IChatClient> model)
    {
        lock (gate)
        {
            (FineTunedModel, TrainedTokens, Model) = (fineTunedModel, tokens, model);
        }

        Transition("succeeded");
    }

    public void Fail(string code, string message)
    {
        lock (gate)
        {
            Error = (code, message);
        }

        Transition("failed");
    }
}

/// <param name="LearningRateMultiplier">Scales the trainer's default rate (1e-3).</param>
internal sealed record JobHyperparameters(int Epochs, int BatchSize, double LearningRateMultiplier);

internal sealed record JobEvent(string Id, long CreatedAt, string Level, string Message, string Type, object? Data, string Object = "fine_tuning.job.event");
