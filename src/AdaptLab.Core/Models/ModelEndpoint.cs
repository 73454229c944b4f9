namespace AdaptLab.Core.Models;

/// <summary>
/// What every client of one model endpoint (base URL and model) shares: its rate-limit pause and its
/// concurrency slots. Variants that name the same model therefore queue behind the same limits.
/// </summary>
internal sealed class ModelEndpoint(string key, RateLimitPause pause)
{
    private SemaphoreSlim? slots;

    /// <summary>The endpoint's identity, e.g. <c>https://api.openai.com/v1 gpt-4o-mini</c>; never holds a key.</summary>
    public string Key { get; } = key;

    public RateLimitPause Pause { get; } = pause;

    /// <summary>The endpoint's concurrency slots; the first caller's limit sizes them for the life of the process.</summary>
    public SemaphoreSlim Slots(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return LazyInitializer.EnsureInitialized(ref slots, () => new SemaphoreSlim(limit, limit));
    }
}
