using System.ClientModel;
using System.Net;
using System.Net.Sockets;
using Polly.Timeout;

namespace AdaptLab.Core.Models.Pipeline;

/// <summary>
/// Which failed calls are worth repeating: rate limits (429), request timeouts (408), server errors (5xx),
/// failed connections and timeouts. A 400, 401, 403, 404 or 422 would fail the same way again.
/// </summary>
internal static class TransientFailures
{
    /// <param name="callerCancellation">The caller's token: a cancellation the caller asked for is never retried.</param>
    public static bool IsTransient(Exception exception, CancellationToken callerCancellation) => exception switch
    {
        ClientResultException { Status: 0 } e => e.InnerException is not null && IsConnectionFailure(e.InnerException),
        ClientResultException e => IsTransientStatus(e.Status),
        HttpRequestException { StatusCode: { } code } => IsTransientStatus((int)code),
        TimeoutRejectedException or TimeoutException => true,
        OperationCanceledException => !callerCancellation.IsCancellationRequested,
        _ => IsConnectionFailure(exception),
    };

    /// <summary>5xx except 501 and 505, which say the server will never support the request.</summary>
    public static bool IsTransientStatus(int status) =>
        status is (int)HttpStatusCode.TooManyRequests or (int)HttpStatusCode.RequestTimeout
        || (status >= 500 && status is not (int)HttpStatusCode.NotImplemented and not (int)HttpStatusCode.HttpVersionNotSupported);

    private static bool IsConnectionFailure(Exception exception) =>
        exception is HttpRequestException { StatusCode: null } or IOException or SocketException;
}
