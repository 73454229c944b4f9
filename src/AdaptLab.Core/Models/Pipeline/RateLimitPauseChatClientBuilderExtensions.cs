using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Models.Pipeline;

internal static class RateLimitPauseChatClientBuilderExtensions
{
    /// <summary>Adds a <see cref="RateLimitPauseChatClient"/>: no call goes out while <paramref name="pause"/> is in force.</summary>
    /// <param name="pause">The endpoint's (<see cref="ModelEndpoint.Pause"/>), which its HTTP pipeline extends on rate-limit headers.</param>
    public static ChatClientBuilder UseRateLimitPause(this ChatClientBuilder builder, RateLimitPause pause)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(pause);
        return builder.Use(inner => new RateLimitPauseChatClient(inner, pause));
    }
}
