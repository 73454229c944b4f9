using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Models.Pipeline;

internal static class TimeoutChatClientBuilderExtensions
{
    /// <summary>Adds a <see cref="TimeoutChatClient"/>: a call still running after <paramref name="timeout"/> is cancelled.</summary>
    /// <param name="time">The clock the timeout runs on; <see cref="TimeProvider.System"/> when null.</param>
    public static ChatClientBuilder UseTimeout(this ChatClientBuilder builder, TimeSpan timeout, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        return builder.Use(inner => new TimeoutChatClient(inner, timeout, time ?? TimeProvider.System));
    }
}
