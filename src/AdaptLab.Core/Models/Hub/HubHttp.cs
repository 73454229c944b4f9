using System.Net;
using System.Net.Http.Headers;

namespace AdaptLab.Core.Models.Hub;

/// <summary>
/// Requests to the hub. Redirects are followed here rather than by the handler for two reasons: the hub's
/// first answer carries the LFS headers (<c>X-Linked-Size</c>, <c>X-Linked-Etag</c>) that the CDN's final
/// answer lacks, and the token must reach only the hub's own host, never the CDN it redirects to.
/// </summary>
internal sealed class HubHttp : IDisposable
{
    private const int MaxRedirects = 10;

    private readonly HttpClient client;
    private readonly HubOptions options;

    public HubHttp(HubOptions options)
    {
        this.options = options;
        client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(30) })
        {
            // Large files take long; stalls are caught per read instead (HubOptions.StallTimeout).
            Timeout = Timeout.InfiniteTimeSpan,
        };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("adaptlab", "0.1"));
    }

    /// <summary>GETs <paramref name="url"/>, following redirects; the response's content is unread.</summary>
    public async Task<HubResponse> GetAsync(Uri url, long? rangeStart, CancellationToken cancellationToken)
    {
        var linked = new LinkedFileHeaders(null, null);
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (rangeStart is > 0)
            {
                request.Headers.Range = new RangeHeaderValue(rangeStart, null);
            }

            if (options.Token is not null && IsHub(url))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
            }

            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            linked = linked.Or(LinkedFileHeaders.From(response));
            if (!IsRedirect(response.StatusCode))
            {
                return new HubResponse(response, linked);
            }

            var location = response.Headers.Location
                ?? throw new HubDownloadException($"{url}: the server answered {(int)response.StatusCode} without a Location to follow");
            response.Dispose();
            url = location.IsAbsoluteUri ? location : new Uri(url, location);
        }

        throw new HubDownloadException($"{url}: more than {MaxRedirects} redirects");
    }

    public void Dispose() => client.Dispose();

    private bool IsHub(Uri url) =>
        string.Equals(url.Scheme, options.Endpoint.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(url.Authority, options.Endpoint.Authority, StringComparison.OrdinalIgnoreCase);

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;
}

/// <summary>A final (non-redirect) response with the LFS headers seen on the way.</summary>
internal sealed record HubResponse(HttpResponseMessage Message, LinkedFileHeaders Linked) : IDisposable
{
    public void Dispose() => Message.Dispose();
}

/// <summary>An LFS file's size and SHA-256 as the hub states them before redirecting to the CDN.</summary>
internal sealed record LinkedFileHeaders(long? Size, string? Sha256)
{
    public static LinkedFileHeaders From(HttpResponseMessage response)
    {
        long? size = response.Headers.TryGetValues("X-Linked-Size", out var sizes) && long.TryParse(sizes.First(), out var s) ? s : null;
        var etag = response.Headers.TryGetValues("X-Linked-Etag", out var etags) ? Unquote(etags.First()) : null;
        return new LinkedFileHeaders(size, etag is { Length: 64 } && etag.All(char.IsAsciiHexDigit) ? etag.ToLowerInvariant() : null);
    }

    public LinkedFileHeaders Or(LinkedFileHeaders later) => new(Size ?? later.Size, Sha256 ?? later.Sha256);

    private static string Unquote(string etag) => (etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag).Trim('"');
}
