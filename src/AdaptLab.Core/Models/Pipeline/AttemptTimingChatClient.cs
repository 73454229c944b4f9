using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Models.Pipeline;

/// <summary>
/// Innermost stage, just above the model: times each attempt that reaches it into the call's <see cref="CallRecord"/>
/// (opened by a <see cref="CallRecordingChatClient"/> further out), and stamps the attempts' time so far into a successful
/// response, before a response cache stores it.
/// </summary>
/// <remarks>Without a call recorder outside it, each attempt is a call of its own.</remarks>
internal sealed class AttemptTimingChatClient(IChatClient inner, TimeProvider time) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var record = CallRecord.Current ?? new CallRecord();
        var started = time.GetTimestamp();
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(messages, options, cancellationToken);
        }
        finally
        {
            record.AddAttempt(time.GetElapsedTime(started).TotalMilliseconds);
        }

        CallRecordingChatClient.Stamp(response, record.AttemptsMs);
        return response;
    }
}
