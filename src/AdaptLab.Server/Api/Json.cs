using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AdaptLab.Server.Api;

internal static class Json
{
    public static async Task WriteAsync<T>(HttpResponse response, int status, T body, CancellationToken ct)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(response.Body, body, Wire.Options, ct);
    }

    public static Task WriteErrorAsync(HttpResponse response, ApiException e, CancellationToken ct) =>
        WriteAsync(response, e.Status, new ErrorBody(new ErrorDetail(e.Message, e.Type, e.Param, e.Code)), ct);
}
