using System.ClientModel;
using Microsoft.Extensions.AI;
using Polly;
using Polly.Retry;

namespace AdaptLab.Core.Models.Pipeline;

/// <summary>
/// Repeats a call that failed transiently (<see cref="TransientFailures"/>), through a Polly retry strategy.
/// A 429 waits as long as the server asked; anything else waits a random time in [0, base·2^n) ("full
/// jitter"), so callers that failed together do not come back together.
/// </summary>
/// <remarks>
/// Streaming calls pass through: part of a stream may already be consumed when it fails, so it cannot be replayed.
/// </remarks>
internal sealed class RetryingChatClient : DelegatingChatClient
{
    private readonly ResiliencePipeline pipeline;
    private readonly RetryOptions options;
    private readonly TimeProvider time;

    /// <param name="time">The clock the back-off waits on, and that an HTTP-date Retry-After is read against.</param>
    public RetryingChatClient(IChatClient inner, RetryOptions options, TimeProvider time)
        : base(inner)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRetries);
        this.options = options;
        this.time = time;
        pipeline = options.MaxRetries == 0
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder { TimeProvider = time }.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } e && TransientFailures.IsTransient(e, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(DelayFor(args.Outcome.Exception, args.AttemptNumber)),
            }).Build();
    }

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        // Materialised once: every attempt must send the same conversation.
        var conversation = messages as IList<ChatMessage> ?? [.. messages];
        return await pipeline.ExecuteAsync(
            async ct => await base.GetResponseAsync(conversation, options, ct),
            cancellationToken);
    }

    private TimeSpan DelayFor(Exception? failure, int retry)
    {
        if (failure is ClientResultException { Status: 429 } limited && limited.GetRawResponse() is { } response
            && RateLimitHeaders.WaitFor(429, name => response.Headers.TryGetValue(name, out var v) ? v : null, time.GetUtcNow()) is { } asked)
        {
            return asked < options.MaxDelay ? asked : options.MaxDelay;
        }

        var ceiling = options.BaseDelay.TotalMilliseconds * Math.Pow(2, retry);
        return TimeSpan.FromMilliseconds(options.Jitter() * Math.Min(ceiling, options.MaxDelay.TotalMilliseconds));
    }
}
