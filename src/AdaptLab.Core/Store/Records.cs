namespace AdaptLab.Core.Store;

internal sealed record RunInfo(
    string Id,
    string TaskName,
    string TaskPath,
    string TaskHash,
    string TaskText,
    string DatasetPath,
    string DatasetHash,
    int ItemCount,
    int? SampleSeed,
    RunConfig Config,
    [property: System.Text.Json.Serialization.JsonIgnore] StoredStatus<RunStatus> Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt)
{
    public bool IsCompleted => Status.Known is RunStatus.Completed;

    /// <summary>
    /// The word every command and report uses for the run: "completed", or "unfinished" for one that
    /// stopped (or is still going) before every item was answered and scored. The store's own
    /// "running" is not shown: a killed run stays "running" there. A status this version does not know
    /// (runs.status allows none today) is shown as stored.
    /// </summary>
    public string State => Status.Known switch
    {
        RunStatus.Completed => "completed",
        RunStatus.Running => "unfinished",
        _ => Status.Text,
    };
}

internal sealed record VariantInfo(
    string Name,
    int Ordinal,
    string PromptHash,
    string PromptPath,
    string PromptText,
    string? SystemPrompt,
    string ModelName,
    string ModelRef,
    string Parameters)
{
    /// <summary>The context steps' configuration as JSON (<c>{}</c> without steps); null in runs stored before pipelines.</summary>
    public string? Pipeline { get; init; }

    /// <summary>The hash of the prompt version, the steps, the model's identity and the parameters: equal variants give equal answers.</summary>
    public string? Identity { get; init; }
}

/// <summary>One model call's outcome: an output, or an error that never counts as a score.</summary>
internal sealed record PredictionRecord(
    string Variant,
    int ItemIndex,
    string? Output,
    string? Error,
    double LatencyMs,
    long? InputTokens,
    long? OutputTokens,
    double? Cost,
    bool Cached,
    string? Context = null);

internal sealed record ScoreRecord(string Variant, string Metric, int ItemIndex, double Value, string? Reason);

/// <param name="Lower">Lower end of the 95% interval, where one was computed.</param>
/// <param name="Method">How the interval was computed, e.g. "Wilson score interval".</param>
/// <param name="N">Items scored (those whose model call succeeded).</param>
/// <param name="Caution">Why the interval is unreliable (<see cref="AdaptLab.Metrics.Statistics.MetricEstimate.Caution"/>), or null.</param>
internal sealed record MetricResult(string Variant, string Metric, double Value, double? Lower, double? Upper, string? Method, int N, string? Caution = null);

/// <summary>A prompt version (content hash) as one variant of one run used it.</summary>
/// <param name="Parent">The version <c>refine</c> made this one from, or null.</param>
internal sealed record PromptUse(string Hash, string Text, string Path, string RunId, string Variant, string TaskName, DateTimeOffset StartedAt, string? Parent = null);
