using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Models.Pipeline;

/// <summary>
/// Records each call's latency for the caller: on the response it returns (<see cref="LatencyOf(ChatResponse)"/>) or on
/// the exception it lets through (<see cref="LatencyOf(Exception)"/>). With an <see cref="AttemptTimingChatClient"/> inside
/// it, the latency is the time of the model's attempts alone, failed and timed-out ones included (a retried item took
/// that long), without the back-off, rate-limit pauses and slot waits between them; a failure that never reached the
/// model took the whole wait. An answer no attempt timed took the whole call.
/// </summary>
/// <remarks>
/// The latency rides on the response so that it survives the response cache: a cached answer keeps the latency the model
/// really had. A failure carries it in <see cref="Exception.Data"/>, so callers still see the exception the model threw;
/// an exception instance shared by several calls (one failed batch of a local model) carries the last of their latencies.
/// </remarks>
internal sealed class CallRecordingChatClient(IChatClient inner, TimeProvider time) : DelegatingChatClient(inner)
{
    private const string LatencyKey = "adaptlab.latency_ms";

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var record = CallRecord.Open();
        var started = time.GetTimestamp();
        try
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken);
            if (response.AdditionalProperties?.ContainsKey(LatencyKey) != true)
            {
                Stamp(response, time.GetElapsedTime(started).TotalMilliseconds);
            }

            return response;
        }
        catch (Exception e)
        {
            e.Data[LatencyKey] = record.ModelCalled ? record.AttemptsMs : time.GetElapsedTime(started).TotalMilliseconds;
            throw;
        }
    }

    /// <summary>The latency recorded for an answer (a number, or JSON after a cache round trip).</summary>
    /// <exception cref="InvalidOperationException">The response did not come through a call recorder.</exception>
    public static double LatencyOf(ChatResponse response) =>
        (response.AdditionalProperties?.TryGetValue(LatencyKey, out var value) == true ? value : null) switch
        {
            double d => d,
            JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
            _ => throw new InvalidOperationException("the response carries no latency: it did not come through a call recorder"),
        };

    /// <summary>The latency recorded for a failed call.</summary>
    /// <exception cref="InvalidOperationException">The exception did not come through a call recorder.</exception>
    public static double LatencyOf(Exception failure) =>
        failure.Data[LatencyKey] as double?
            ?? throw new InvalidOperationException("the failure carries no latency: it did not come through a call recorder", failure);

    public static void Stamp(ChatResponse response, double milliseconds) => (response.AdditionalProperties ??= [])[LatencyKey] = milliseconds;
}
