using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Evaluation;

/// <summary>
/// Innermost middleware: stamps each real model call's latency into the response, so the latency
/// survives the response cache (a cached answer keeps the latency the model really had), and marks
/// the caller's <see cref="CallTrace"/> so it can tell a real call from a cache hit.
/// </summary>
internal sealed class ModelCallRecorder(IChatClient inner) : DelegatingChatClient(inner)
{
    public const string LatencyKey = "adaptlab.latency_ms";

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (CallTrace.Current is { } trace)
        {
            trace.ModelCalled = true;
        }

        var started = Stopwatch.GetTimestamp();
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        (response.AdditionalProperties ??= [])[LatencyKey] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
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

/// <summary>Per-call flag that flows with the async call into the middleware pipeline.</summary>
internal sealed class CallTrace
{
    private static readonly AsyncLocal<CallTrace?> CurrentTrace = new();

    public static CallTrace? Current
    {
        get => CurrentTrace.Value;
        set => CurrentTrace.Value = value;
    }

    public bool ModelCalled { get; set; }
}
