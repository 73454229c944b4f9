using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Models.Pipeline;

/// <summary>Holds each call until the endpoint's rate-limit pause (set from response headers) is over.</summary>
/// <remarks>The pause waits on its own clock (<see cref="RateLimitPause"/>'s), the one the headers are read against.</remarks>
internal sealed class RateLimitPauseChatClient(IChatClient inner, RateLimitPause pause) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        await pause.WaitAsync(cancellationToken);
        return await base.GetResponseAsync(messages, options, cancellationToken);
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await pause.WaitAsync(cancellationToken);
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            yield return update;
        }
    }
}
