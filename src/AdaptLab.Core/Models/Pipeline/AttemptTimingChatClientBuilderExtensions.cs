using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Models.Pipeline;

internal static class AttemptTimingChatClientBuilderExtensions
{
    /// <summary>Adds an <see cref="AttemptTimingChatClient"/>: each attempt that reaches the model is timed into its call's record.</summary>
    /// <param name="time">The clock attempts are timed on; <see cref="TimeProvider.System"/> when null.</param>
    public static ChatClientBuilder UseAttemptTiming(this ChatClientBuilder builder, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new AttemptTimingChatClient(inner, time ?? TimeProvider.System));
    }
}
