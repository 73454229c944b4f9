using System.Collections.Concurrent;

namespace AdaptLab.Core.Models;

/// <summary>The endpoints a host has opened, one <see cref="ModelEndpoint"/> per base URL and model.</summary>
public sealed class ModelEndpoints
{
    private readonly ConcurrentDictionary<string, ModelEndpoint> endpoints = new(StringComparer.Ordinal);

    public ModelEndpoint For(Uri baseUrl, string model)
    {
        // Scheme, host and path only: user info or a query string could carry a secret.
        var url = baseUrl.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped).TrimEnd('/');
        return endpoints.GetOrAdd($"{url} {model}", key => new ModelEndpoint(key, new RateLimitPause()));
    }
}
