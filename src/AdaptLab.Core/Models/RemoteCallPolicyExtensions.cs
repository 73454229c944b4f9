using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Models;

public static class RemoteCallPolicyExtensions
{
    /// <summary>
    /// Adds the remote-call middleware, outermost first: retries, the endpoint's concurrency slots, the
    /// endpoint's rate-limit pause, the per-call timeout. Retries sit outside the slots so a caller backing off
    /// holds none; the pause sits inside them so a caller that waited for a slot still honours a pause begun
    /// meanwhile; the timeout is innermost so only the HTTP call is timed. A model without a
    /// <see cref="ModelEndpoint"/> (in-process) is left as it is.
    /// </summary>
    public static ChatClientBuilder UseRemoteCallPolicy(this ChatClientBuilder builder, RemoteCallOptions options) =>
        builder.Use(inner =>
        {
            if (inner.GetService<ModelEndpoint>() is not { } endpoint)
            {
                return inner;
            }

            IChatClient client = new TimeoutChatClient(inner, options.Timeout);
            client = new RateLimitPauseChatClient(client, endpoint.Pause);
            client = new ConcurrencyLimitingChatClient(client, endpoint.Slots(options.MaxConcurrency));
            return new RetryingChatClient(client, options.Retry);
        });
}
