using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Models.Pipeline;

/// <summary>
/// Lets at most as many calls through as <paramref name="slots"/> has, waiting in line for the rest. Pass
/// the same semaphore to every client of an endpoint to bound the endpoint, not each client.
/// </summary>
/// <remarks>
/// A plain semaphore: Polly.Core has no concurrency limiter (it lives in Polly.RateLimiting), and one shared
/// semaphore is all that is needed.
/// </remarks>
internal sealed class ConcurrencyLimitingChatClient(IChatClient inner, SemaphoreSlim slots) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        await slots.WaitAsync(cancellationToken);
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken);
        }
        finally
        {
            slots.Release();
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await slots.WaitAsync(cancellationToken);
        try
        {
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
            {
                yield return update;
            }
        }
        finally
        {
            slots.Release();
        }
    }
}
