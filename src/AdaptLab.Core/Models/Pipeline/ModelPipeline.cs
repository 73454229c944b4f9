using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;

namespace AdaptLab.Core.Models.Pipeline;

/// <summary>
/// The one way a model is wrapped for use, shared by <c>eval</c>, <c>serve</c>, the judges and the few-shot search.
/// Outermost first:
/// <list type="number">
/// <item>the call recorder, which hands the caller each call's latency, on the answer or on the failure;</item>
/// <item>the response cache: a cached answer never waits for a slot or a pause;</item>
/// <item>retries, outside the slots, so a caller backing off holds none;</item>
/// <item>the endpoint's concurrency slots;</item>
/// <item>the endpoint's rate-limit pause, inside the slots, so a caller that waited for a slot still honours a pause begun meanwhile;</item>
/// <item>the per-call timeout, so only the model's own call is timed out;</item>
/// <item>the attempt timer, innermost: the latency is the model's attempts alone, not time spent queueing, paused or backing off.</item>
/// </list>
/// Retries, slots, pause and timeout are for remote models only: a model without a <see cref="ModelEndpoint"/> (in-process)
/// gets none of them.
/// </summary>
internal static class ModelPipeline
{
    public static IChatClient Build(IChatClient model, ModelPipelineOptions options)
    {
        var builder = new ChatClientBuilder(model).UseCallRecorder(options.Time);
        if (options.Cache is { } cache)
        {
            builder.UseResponseCache(cache, options.Identity);
        }

        if (options.RemoteCalls is { } remote && model.GetService<ModelEndpoint>() is { } endpoint)
        {
            builder
                .UseRetries(remote.Retry, options.Time)
                .UseConcurrencyLimit(endpoint.Slots(remote.MaxConcurrency))
                .UseRateLimitPause(endpoint.Pause)
                .UseTimeout(remote.Timeout, options.Time);
        }

        return builder.UseAttemptTiming(options.Time).Build();
    }
}

/// <param name="Identity">What the cache key adds to the messages and options (see <see cref="ResponseCacheChatClientBuilderExtensions.UseResponseCache"/>).</param>
/// <param name="Cache">Null: every request goes to the model.</param>
/// <param name="RemoteCalls">Null: no retries, slots or timeout (the model answers in-process, or the caller has its own).</param>
internal sealed record ModelPipelineOptions(string Identity, IDistributedCache? Cache = null, RemoteCallOptions? RemoteCalls = null)
{
    /// <summary>The clock of the back-off, the timeout and the recorded latencies (the rate-limit pause has the endpoint's).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
