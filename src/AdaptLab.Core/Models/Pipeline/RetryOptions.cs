namespace AdaptLab.Core.Models.Pipeline;

/// <summary>Retries of transient failures: exponential backoff with full jitter, capped.</summary>
internal sealed record RetryOptions
{
    /// <summary>Retries after the first attempt; 0 turns retrying off.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>The backoff ceiling of the first retry; it doubles for each further one.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>No retry waits longer, not even when a server's Retry-After asks for more (the endpoint pause covers that).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Draws each back-off's share of its ceiling, uniform in [0, 1). Tests fix it: a random draw may come out under a
    /// millisecond, which retries at once and sets no timer for a virtual clock to see.
    /// </summary>
    internal Func<double> Jitter { get; init; } = Random.Shared.NextDouble;
}
