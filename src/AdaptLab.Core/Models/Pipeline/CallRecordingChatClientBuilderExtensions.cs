using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Models.Pipeline;

internal static class CallRecordingChatClientBuilderExtensions
{
    /// <summary>
    /// Adds a <see cref="CallRecordingChatClient"/>: every answer and failure leaves it with the call's latency. Put it
    /// outside the retries and an <see cref="AttemptTimingChatClientBuilderExtensions.UseAttemptTiming"/> just above the
    /// model, so only the model's attempts count.
    /// </summary>
    /// <param name="time">The clock calls are timed on; <see cref="TimeProvider.System"/> when null.</param>
    public static ChatClientBuilder UseCallRecorder(this ChatClientBuilder builder, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new CallRecordingChatClient(inner, time ?? TimeProvider.System));
    }
}
