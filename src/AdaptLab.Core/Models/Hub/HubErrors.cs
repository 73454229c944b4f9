using System.Net;
using System.Net.Sockets;

namespace AdaptLab.Core.Models.Hub;

/// <summary>Turns the hub's refusals and network failures into messages that say what to do.</summary>
internal static class HubErrors
{
    /// <param name="what">What was asked for: the repository listing or one file.</param>
    public static HubDownloadException Refused(HttpResponseMessage response, HubModelId model, string what, bool tokenSent)
    {
        var status = (int)response.StatusCode;
        var said = response.Headers.TryGetValues("X-Error-Message", out var messages) ? $" The hub said: {messages.First()}" : string.Empty;
        var message = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden when !tokenSent =>
                $"{model}: {what} needs authorization ({status}). The model is gated or private (or does not exist): " +
                "accept its terms on the hub, then set HF_TOKEN to a read token.",
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                $"{model}: {what} was refused ({status}) although HF_TOKEN was sent: the token is invalid or lacks access; " +
                "for a gated model, accept its terms on the hub with the token's account.",
            HttpStatusCode.NotFound =>
                $"{model}: {what} was not found (404): check the organization, name and revision.",
            _ => $"{model}: {what} failed with HTTP {status} {response.ReasonPhrase}.",
        };
        return new HubDownloadException(message + said);
    }

    public static HubDownloadException Unreachable(HttpRequestException e, HubOptions options, HubModelId model) =>
        new($"{model}: cannot reach {options.Endpoint} ({e.Message}). Without a network, put the model's files in " +
            $"$ADAPTLAB_MODELS_DIR/{model.Repository}, or set HF_ENDPOINT to a reachable mirror.", e);

    /// <summary>Failures worth resuming after: the connection broke, or the server had a passing fault.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        HttpRequestException { StatusCode: null } => true,
        HttpRequestException { StatusCode: { } code } => (int)code >= 500,
        IOException or SocketException => true,
        _ => false,
    };
}
