namespace AdaptLab.Core.Models.Pipeline;

/// <summary>Retries of transient failures: exponential backoff with full jitter, capped.</summary>
public sealed record RetryOptions
{
    /// <summary>Retries after the first attempt; 0 turns retrying off.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>The backoff ceiling of the first retry; it doubles for each further one.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>No retry waits longer, not even when a server's Retry-After asks for more (the endpoint pause covers that).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);
}
