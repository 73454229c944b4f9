using Microsoft.Extensions.AI;
using Polly;

namespace AdaptLab.Core.Models.Pipeline;

/// <summary>
/// Gives up on a call after <paramref name="timeout"/> with Polly's <see cref="Polly.Timeout.TimeoutRejectedException"/>
/// (a transient failure, so an outer retry may try again).
/// </summary>
/// <remarks>Streaming calls pass through: how long a stream may run depends on how much it writes.</remarks>
internal sealed class TimeoutChatClient(IChatClient inner, TimeSpan timeout, TimeProvider time) : DelegatingChatClient(inner)
{
    private readonly ResiliencePipeline pipeline = new ResiliencePipelineBuilder { TimeProvider = time }.AddTimeout(timeout).Build();

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await pipeline.ExecuteAsync(async ct => await base.GetResponseAsync(messages, options, ct), cancellationToken);
}
