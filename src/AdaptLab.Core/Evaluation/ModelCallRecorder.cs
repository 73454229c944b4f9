using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Evaluation;

/// <summary>
/// Innermost middleware: stamps each real model call's latency into the response, so the latency
/// survives the response cache (a cached answer keeps the latency the model really had), and adds each
/// attempt's time to the caller's <see cref="CallTrace"/>, for the latency of a call that failed. The latency is the
/// time of every attempt of the call, failed and timed-out ones included: a retried item took that long.
/// Time between attempts (back-off, rate-limit pauses, waiting for an endpoint slot) is not the model's.
/// </summary>
internal sealed class ModelCallRecorder(IChatClient inner) : DelegatingChatClient(inner)
{
    public const string LatencyKey = "adaptlab.latency_ms";

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var trace = CallTrace.Current;
        if (trace is not null)
        {
            trace.ModelCalled = true;
        }

        var started = Stopwatch.GetTimestamp();
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(messages, options, cancellationToken);
        }
        finally
        {
            trace?.AddAttempt(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        (response.AdditionalProperties ??= [])[LatencyKey] = trace?.AttemptsMs ?? Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return response;
    }

    /// <summary>The latency recorded when the model was really called (a number, or JSON after a cache round trip).</summary>
    public static double? LatencyOf(ChatResponse response) =>
        response.AdditionalProperties?.TryGetValue(LatencyKey, out var value) == true
            ? value switch
            {
                double d => d,
                JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
                _ => null,
            }
            : null;
}

public static class CallRecorderExtensions
{
    /// <summary>Stamps each real call's latency into its response (see <see cref="ModelCallRecorder"/>).</summary>
    public static ChatClientBuilder UseCallRecorder(this ChatClientBuilder builder) => builder.Use(inner => new ModelCallRecorder(inner));
}

/// <summary>Per-call record that flows with the async call into the middleware pipeline; a call's attempts run one after another.</summary>
internal sealed class CallTrace
{
    private static readonly AsyncLocal<CallTrace?> CurrentTrace = new();

    public static CallTrace? Current
    {
        get => CurrentTrace.Value;
        set => CurrentTrace.Value = value;
    }

    public bool ModelCalled { get; set; }

    /// <summary>Milliseconds spent in the model's attempts so far, failed ones included.</summary>
    public double AttemptsMs { get; private set; }

    public void AddAttempt(double milliseconds) => AttemptsMs += milliseconds;
}
