using AdaptLab.Core.Evaluation;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;

namespace AdaptLab.Core.Models;

/// <summary>
/// The one way a model is wrapped for use, shared by <c>eval</c> and <c>serve</c>. Outermost first: the response
/// cache (a cached answer never waits for a slot or a pause), the remote-call policy (retries, endpoint slots,
/// rate-limit pause, per-call timeout), the call recorder (innermost: the latency it stores is the model's
/// attempts alone, not time spent queueing, paused or backing off).
/// </summary>
public static class ModelPipeline
{
    public static IChatClient Build(IChatClient model, ModelPipelineOptions options)
    {
        var builder = new ChatClientBuilder(model);
        if (options.Cache is { } cache)
        {
            builder.UseResponseCache(cache, options.Identity);
        }

        if (options.RemoteCalls is { } remote)
        {
            builder.UseRemoteCallPolicy(remote);
        }

        return builder.UseCallRecorder().Build();
    }
}

/// <param name="Identity">What the cache key adds to the messages and options (see <see cref="ResponseCacheExtensions.UseResponseCache"/>).</param>
/// <param name="Cache">Null: every request goes to the model.</param>
/// <param name="RemoteCalls">Null: no retries, slots or timeout (the model answers in-process, or the caller has its own).</param>
public sealed record ModelPipelineOptions(string Identity, IDistributedCache? Cache = null, RemoteCallOptions? RemoteCalls = null);
