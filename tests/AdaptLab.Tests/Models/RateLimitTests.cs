using System.Diagnostics;
using AdaptLab.Core.Models;
using AdaptLab.Core.Store;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests.Models;

/// <summary>Rate limits against a loopback server; timing is read from the server's clock, as lower bounds only.</summary>
public class RateLimitTests
{
    private static readonly TimeSpan AlmostOneSecond = TimeSpan.FromMilliseconds(900);

    [Fact]
    public async Task A_429_with_Retry_After_pauses_then_succeeds()
    {
        await using var server = await FakeOpenAiServer.StartAsync(
            _ => "ok", reply: call => call.Ordinal == 1 ? RateLimited("Retry-After", "1") : null);
        using var client = RemoteClients.Create(server.Endpoint, new RemoteCallOptions());

        var response = await client.AskAsync("hello");

        Assert.Equal("ok", response.Text);
        var requests = server.Requests;
        Assert.Equal([429, 200], requests.Select(r => r.Status));
        Assert.True(requests[1].Arrived - requests[0].Arrived >= AlmostOneSecond, $"retried after {requests[1].Arrived - requests[0].Arrived}");
    }

    [Fact]
    public async Task Callers_queued_behind_a_429_wait_for_the_reset_instead_of_hitting_the_server()
    {
        // A real limiter: every request in the first second gets 429. Only the two calls already in flight
        // (the concurrency limit) may see it; the four queued behind them must wait for the reset.
        var window = new WindowFromFirstCall(TimeSpan.FromSeconds(1));
        await using var server = await FakeOpenAiServer.StartAsync(
            _ => "ok", reply: _ => window.Contains() ? RateLimited("Retry-After", "1") : null);
        using var client = RemoteClients.Create(server.Endpoint, new RemoteCallOptions { MaxConcurrency = 2 });

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => client.AskAsync($"caller {i}")));

        Assert.All(responses, r => Assert.Equal("ok", r.Text));
        var requests = server.Requests;
        var limited = requests.Count(r => r.Status == 429);
        Assert.InRange(limited, 1, 2);
        Assert.Equal(6 + limited, requests.Count);
        Assert.All(requests.Where(r => r.Status == 200), r => Assert.True(r.Arrived - requests[0].Arrived >= AlmostOneSecond));
    }

    [Fact]
    public async Task An_exhausted_request_budget_pauses_the_next_call_until_the_reset()
    {
        await using var server = await FakeOpenAiServer.StartAsync(
            _ => "ok",
            reply: call => call.Ordinal == 1
                ? new FakeReply(200, new Dictionary<string, string> { ["x-ratelimit-remaining-requests"] = "0", ["x-ratelimit-reset-requests"] = "1s" })
                : null);
        using var client = RemoteClients.Create(server.Endpoint, new RemoteCallOptions());

        await client.AskAsync("first");
        await client.AskAsync("second");

        var requests = server.Requests;
        Assert.Equal([200, 200], requests.Select(r => r.Status));
        Assert.True(requests[1].Arrived - requests[0].Arrived >= AlmostOneSecond, $"second call after {requests[1].Arrived - requests[0].Arrived}");
    }

    [Fact]
    public async Task A_429_given_as_an_HTTP_date_is_honoured()
    {
        // HTTP dates have whole seconds, so "2 s from now" is 1-2 s away: assert only that the retry waited.
        await using var server = await FakeOpenAiServer.StartAsync(
            _ => "ok", reply: call => call.Ordinal == 1 ? RateLimited("Retry-After", DateTimeOffset.UtcNow.AddSeconds(2).ToString("r")) : null);
        using var client = RemoteClients.Create(server.Endpoint, new RemoteCallOptions());

        await client.AskAsync("hello");

        var requests = server.Requests;
        Assert.Equal([429, 200], requests.Select(r => r.Status));
        Assert.True(requests[1].Arrived - requests[0].Arrived >= TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task An_evals_stored_latency_is_the_successful_call_not_the_wait_before_it()
    {
        await using var server = await FakeOpenAiServer.StartAsync(
            SentimentTask.Model(), reply: call => call.Ordinal == 1 ? RateLimited("Retry-After", "1") : null);
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, server.Endpoint, items: 1);

        await AdaptLabCli.RunAsync("eval", task, "--store", dir.Path("runs.db"), "--no-cache");

        var requests = server.Requests;
        Assert.Equal([429, 200], requests.Select(r => r.Status));
        using var store = RunStore.Open(dir.Path("runs.db"));
        var prediction = Assert.Single(store.GetPredictions(store.FindRun("latest")!.Id));
        Assert.Null(prediction.Error);
        Assert.True(prediction.LatencyMs < (requests[1].Arrived - requests[0].Arrived).TotalMilliseconds, $"latency {prediction.LatencyMs} ms");
    }

    private static FakeReply RateLimited(string header, string value) =>
        new(429, new Dictionary<string, string> { [header] = value });

    /// <summary>True for calls made within <paramref name="length"/> of the first call.</summary>
    private sealed class WindowFromFirstCall(TimeSpan length)
    {
        private readonly Lock gate = new();
        private Stopwatch? started;

        public bool Contains()
        {
            lock (gate)
            {
                started ??= Stopwatch.StartNew();
                return started.Elapsed < length;
            }
        }
    }
}
