using System.Collections.Concurrent;

namespace AdaptLab.Core.Models;

/// <summary>The endpoints a host has opened, one <see cref="ModelEndpoint"/> per base URL and model.</summary>
/// <param name="time">The clock of the endpoints' rate-limit pauses.</param>
internal sealed class ModelEndpoints(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ModelEndpoint> endpoints = new(StringComparer.Ordinal);

    public ModelEndpoints()
        : this(TimeProvider.System)
    {
    }

    public ModelEndpoint For(Uri baseUrl, string model)
    {
        // Scheme, host and path only: user info or a query string could carry a secret.
        var url = baseUrl.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped).TrimEnd('/');
        return endpoints.GetOrAdd($"{url} {model}", key => new ModelEndpoint(key, new RateLimitPause(time, RateLimitPause.DefaultMaxPause)));
    }
}
