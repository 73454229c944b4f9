using System.ClientModel.Primitives;

namespace AdaptLab.Core.Models;

/// <summary>HTTP settings shared by the OpenAI-protocol providers.</summary>
internal static class RemoteClientOptions
{
    /// <summary>
    /// Switches off the SDK's own retries and network timeout, so the middleware's retry and per-call timeout
    /// are the only ones (two retry loops would multiply attempts and hide 429s from the shared pause), and
    /// lets the endpoint's pause see every response's rate-limit headers.
    /// </summary>
    public static T Configure<T>(T options, ModelEndpoint endpoint)
        where T : ClientPipelineOptions
    {
        options.RetryPolicy = new ClientRetryPolicy(maxRetries: 0);
        options.NetworkTimeout = Timeout.InfiniteTimeSpan;
        options.AddPolicy(new RateLimitHeadersPolicy(endpoint.Pause, endpoint.Pause.Time), PipelinePosition.PerTry);
        options.AddPolicy(new EmptyChoicesPolicy(), PipelinePosition.PerTry);
        return options;
    }
}
