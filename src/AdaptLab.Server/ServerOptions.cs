using System.Net;

namespace AdaptLab.Server;

/// <summary>Where the server listens. Port 0 takes a free port (see <see cref="OpenAiServer.BaseAddress"/>).</summary>
public sealed record ServerOptions(string Host = "127.0.0.1", int Port = 8000)
{
    /// <summary>True when only this machine can connect: anything else exposes the model without authentication.</summary>
    public bool IsLoopback => Host == "localhost" || (IPAddress.TryParse(Host, out var address) && IPAddress.IsLoopback(address));

    internal IPAddress Address => Host == "localhost" ? IPAddress.Loopback
        : IPAddress.TryParse(Host, out var address) ? address
        : throw new ArgumentException($"--host '{Host}' is not an IP address or 'localhost' (e.g. 127.0.0.1, or 0.0.0.0 for every interface)");

    internal void Validate()
    {
        _ = Address;
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"--port {Port} is not a TCP port (0 to 65535; 0 picks a free one)");
        }
    }
}
