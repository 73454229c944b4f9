using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;

namespace AdaptLab.Core.Models;

/// <summary>
/// Microsoft.Extensions.AI's distributed response cache that marks the answers it serves from the cache, so the
/// caller can tell them from model calls by the response alone (<see cref="IsCacheHit"/>).
/// </summary>
internal sealed class ResponseCacheChatClient(IChatClient inner, IDistributedCache storage) : DistributedCachingChatClient(inner, storage)
{
    private const string HitKey = "adaptlab.cache_hit";

    public static bool IsCacheHit(ChatResponse response) => response.AdditionalProperties?.ContainsKey(HitKey) == true;

    protected override async Task<ChatResponse?> ReadCacheAsync(string key, CancellationToken cancellationToken)
    {
        var response = await base.ReadCacheAsync(key, cancellationToken);
        if (response is not null)
        {
            (response.AdditionalProperties ??= [])[HitKey] = true;
        }

        return response;
    }
}

public static class ResponseCacheExtensions
{
    /// <summary>
    /// Answers a request seen before from <paramref name="storage"/>. The key is the messages, the options and
    /// <paramref name="identity"/>: the variant's identity (prompt version, steps, model identity), so a change to
    /// any of them never returns a stale answer.
    /// </summary>
    public static ChatClientBuilder UseResponseCache(this ChatClientBuilder builder, IDistributedCache storage, string identity) =>
        builder.Use(inner => new ResponseCacheChatClient(inner, storage) { CacheKeyAdditionalValues = [identity] });
}
