using System.Net;

namespace AdaptLab.Server;

/// <summary>Where the server listens. Port 0 takes a free port (see <see cref="OpenAiServer.BaseAddress"/>).</summary>
public sealed record ServerOptions(string Host = "127.0.0.1", int Port = 8000)
{
    /// <summary>The default cap on a request body: 8 MiB, far more than any model's context holds as text.</summary>
    public const long DefaultMaxRequestBodyBytes = 8L * 1024 * 1024;

    /// <summary>The environment variable <c>adaptlab serve</c> reads the API key from when <c>--api-key</c> is not given.</summary>
    public const string ApiKeyVariable = "ADAPTLAB_SERVE_API_KEY";

    /// <summary>
    /// When set, every request must carry <c>Authorization: Bearer &lt;key&gt;</c>, else it gets a 401. Required
    /// on any address other than loopback.
    /// </summary>
    public string? ApiKey { get; init; }

    /// <summary>Bodies longer than this are refused with a 413 before they are read.</summary>
    public long MaxRequestBodyBytes { get; init; } = DefaultMaxRequestBodyBytes;

    /// <summary>True when only this machine can connect: anything else exposes the model to the network.</summary>
    public bool IsLoopback => Host == "localhost" || (IPAddress.TryParse(Host, out var address) && IPAddress.IsLoopback(address));

    internal IPAddress Address => Host == "localhost" ? IPAddress.Loopback
        : IPAddress.TryParse(Host, out var address) ? address
        : throw new ArgumentException($"--host '{Host}' is not an IP address or 'localhost' (e.g. 127.0.0.1, or 0.0.0.0 for every interface)");

    /// <summary>Checks the options before anything is loaded or bound.</summary>
    /// <exception cref="ArgumentException">The host, port or body cap is not valid, or a non-loopback host has no API key.</exception>
    public void Validate()
    {
        _ = Address;
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"--port {Port} is not a TCP port (0 to 65535; 0 picks a free one)");
        }

        if (MaxRequestBodyBytes < 1)
        {
            throw new ArgumentException($"--max-request-bytes {MaxRequestBodyBytes} must be at least 1");
        }

        if (ApiKey is { Length: 0 })
        {
            throw new ArgumentException("the API key is empty (--api-key or " + ApiKeyVariable + ")");
        }

        if (!IsLoopback && ApiKey is null)
        {
            throw new ArgumentException(
                $"--host {Host} is reachable from other machines, so serving on it needs an API key: pass --api-key KEY or set {ApiKeyVariable}; clients send it as 'Authorization: Bearer KEY'");
        }
    }
}
