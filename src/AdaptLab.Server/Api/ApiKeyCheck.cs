using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace AdaptLab.Server.Api;

/// <summary>
/// Every request must carry <c>Authorization: Bearer &lt;key&gt;</c>; others get OpenAI's 401 error JSON. The
/// comparison takes the same time wherever the given key differs (both sides are hashed first, so not even
/// the key's length shows).
/// </summary>
internal sealed class ApiKeyCheck(string key)
{
    private const string Scheme = "Bearer ";

    private readonly byte[] expected = SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            throw new ApiException(401,
                "You didn't provide an API key. This server needs one in an Authorization header (Authorization: Bearer KEY).",
                code: "invalid_api_key");
        }

        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()));
        if (!CryptographicOperations.FixedTimeEquals(given, expected))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            throw new ApiException(401, "Incorrect API key provided.", code: "invalid_api_key");
        }

        return next(http);
    }
}
