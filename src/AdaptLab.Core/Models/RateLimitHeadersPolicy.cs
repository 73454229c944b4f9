using System.ClientModel.Primitives;

namespace AdaptLab.Core.Models;

/// <summary>
/// Sits in the OpenAI client's HTTP pipeline, where every response's headers are visible (the chat
/// abstraction above keeps only the body), and turns rate-limit headers into the endpoint's shared pause.
/// </summary>
internal sealed class RateLimitHeadersPolicy(RateLimitPause pause, TimeProvider time) : PipelinePolicy
{
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        ProcessNext(message, pipeline, currentIndex);
        Observe(message.Response);
    }

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        await ProcessNextAsync(message, pipeline, currentIndex);
        Observe(message.Response);
    }

    private void Observe(PipelineResponse? response)
    {
        if (response is null)
        {
            return;
        }

        var wait = RateLimitHeaders.WaitFor(
            response.Status, name => response.Headers.TryGetValue(name, out var value) ? value : null, time.GetUtcNow());
        if (wait is { } w)
        {
            pause.PauseFor(w);
        }
    }
}
