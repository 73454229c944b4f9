using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;

namespace AdaptLab.Core.Models.Pipeline;

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
