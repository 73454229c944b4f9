using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Models.Pipeline;

internal static class RetryingChatClientBuilderExtensions
{
    /// <summary>Adds a <see cref="RetryingChatClient"/>: transient failures are tried again, after a back-off.</summary>
    /// <param name="time">The clock the back-off waits on; <see cref="TimeProvider.System"/> when null.</param>
    public static ChatClientBuilder UseRetries(this ChatClientBuilder builder, RetryOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return builder.Use(inner => new RetryingChatClient(inner, options, time ?? TimeProvider.System));
    }
}
