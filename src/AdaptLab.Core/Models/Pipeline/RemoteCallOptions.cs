using AdaptLab.Core.Tasks;

namespace AdaptLab.Core.Models.Pipeline;

/// <summary>How calls to a remote model are limited, timed out and retried.</summary>
internal sealed record RemoteCallOptions
{
    /// <summary>Calls in flight to the endpoint at once, across every client that shares it.</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>Limit of one HTTP call; waiting for a slot, a pause or a retry does not count.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    public RetryOptions Retry { get; init; } = new();

    /// <summary>The task file's settings for <paramref name="model"/>; its concurrency limit defaults to the task's.</summary>
    public static RemoteCallOptions For(ModelSpec model, int taskConcurrency)
    {
        var defaults = new RemoteCallOptions();
        return new RemoteCallOptions
        {
            MaxConcurrency = model.MaxConcurrency ?? taskConcurrency,
            Timeout = model.TimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : defaults.Timeout,
            Retry = defaults.Retry with { MaxRetries = model.MaxRetries ?? defaults.Retry.MaxRetries },
        };
    }
}
