using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AdaptLab.Bench.Remote;

/// <summary>
/// An OpenAI-compatible chat-completions server on 127.0.0.1 that answers every call after a fixed latency,
/// and times the load from its side: both clients are measured by the same clock, without their start-up.
/// </summary>
internal sealed class FixedLatencyServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly TimeSpan latency;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private long firstArrivalTicks = long.MaxValue;
    private long lastDoneTicks;
    private int requests;
    private int inFlight;
    private int maxInFlight;

    private FixedLatencyServer(WebApplication app, TimeSpan latency)
    {
        this.app = app;
        this.latency = latency;
    }

    public string BaseUrl { get; private set; } = string.Empty;

    public static async Task<FixedLatencyServer> StartAsync(TimeSpan latency)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var server = new FixedLatencyServer(builder.Build(), latency);
        server.app.MapPost("/v1/chat/completions", server.CompleteAsync);
        await server.app.StartAsync();
        server.BaseUrl = server.app.Urls.First().TrimEnd('/') + "/v1";
        return server;
    }

    public void Reset()
    {
        Interlocked.Exchange(ref firstArrivalTicks, long.MaxValue);
        Interlocked.Exchange(ref lastDoneTicks, 0);
        Interlocked.Exchange(ref requests, 0);
        Interlocked.Exchange(ref maxInFlight, 0);
    }

    /// <summary>Requests since <see cref="Reset"/>, and the time from the first one's arrival to the last one's answer.</summary>
    public ServerLoad Load() => new(
        Volatile.Read(ref requests),
        TimeSpan.FromTicks(Math.Max(0, Interlocked.Read(ref lastDoneTicks) - Interlocked.Read(ref firstArrivalTicks))),
        Volatile.Read(ref maxInFlight));

    private async Task CompleteAsync(HttpContext http)
    {
        var arrived = clock.Elapsed.Ticks;
        InterlockedMin(ref firstArrivalTicks, arrived);
        var current = Interlocked.Increment(ref inFlight);
        InterlockedMax(ref maxInFlight, current);
        try
        {
            // Parsed like a real server would, so the request's shape is checked too.
            var body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted)
                ?? throw new BadHttpRequestException("empty body");
            var model = body["model"]!.GetValue<string>();
            var prompt = body["messages"]!.AsArray().Last()!["content"]!.ToString();
            await Task.Delay(latency, http.RequestAborted);
            http.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(http.Response.Body, Completion(model, prompt), BenchJson.Default.Completion);
            Interlocked.Increment(ref requests);
            InterlockedMax(ref lastDoneTicks, clock.Elapsed.Ticks);
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    private static Completion Completion(string model, string prompt) => new(
        "chatcmpl-bench",
        "chat.completion",
        1_700_000_000,
        model,
        [new Choice(0, new Message("assistant", "positive"), "stop")],
        new Usage(prompt.Length / 4, 1, (prompt.Length / 4) + 1));

    private static void InterlockedMax(ref long target, long value)
    {
        for (var seen = Interlocked.Read(ref target); value > seen; seen = Interlocked.Read(ref target))
        {
            Interlocked.CompareExchange(ref target, value, seen);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            Interlocked.CompareExchange(ref target, value, seen);
        }
    }

    private static void InterlockedMin(ref long target, long value)
    {
        for (var seen = Interlocked.Read(ref target); value < seen; seen = Interlocked.Read(ref target))
        {
            Interlocked.CompareExchange(ref target, value, seen);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

internal sealed record ServerLoad(int Requests, TimeSpan Busy, int MaxInFlight)
{
    public double RequestsPerSecond => Busy > TimeSpan.Zero ? Requests / Busy.TotalSeconds : 0;

    /// <summary>
    /// Time each call spends in flight beyond the server's fixed latency, with <paramref name="concurrency"/>
    /// calls overlapping: the client's own cost per call (at concurrency 1, throughput can never pass 1/latency).
    /// </summary>
    public double ClientOverheadMs(int concurrency, int latencyMs) =>
        Requests > 0 ? (Busy.TotalMilliseconds * concurrency / Requests) - latencyMs : 0;
}
