using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;

namespace AdaptLab.Core.Models.Pipeline;

internal static class ResponseCacheChatClientBuilderExtensions
{
    /// <summary>
    /// Adds a <see cref="ResponseCacheChatClient"/>: a request seen before is answered from <paramref name="storage"/>. The key
    /// is the messages, the options and <paramref name="identity"/>: the variant's identity (prompt version, steps, model
    /// identity), so a change to any of them never returns a stale answer.
    /// </summary>
    public static ChatClientBuilder UseResponseCache(this ChatClientBuilder builder, IDistributedCache storage, string identity)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(identity);
        return builder.Use(inner => new ResponseCacheChatClient(inner, storage) { CacheKeyAdditionalValues = [identity] });
    }
}
