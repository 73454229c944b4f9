using AdaptLab.Core.Models;
using AdaptLab.Core.Models.Pipeline;
using AdaptLab.Core.Store;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;
using Microsoft.Extensions.AI;

namespace AdaptLab.Tests.Models;

/// <summary>
/// Rate limits from real HTTP responses. The waits run on a virtual clock that the server stamps requests with too, so
/// the tests wait for no real second and can assert exact times.
/// </summary>
public class RateLimitTests
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_429_with_Retry_After_pauses_the_endpoint_and_the_retry_waits_as_long_then_succeeds()
    {
        var clock = new VirtualClock();
        await using var server = await FakeOpenAiServer.StartAsync(
            _ => "ok", reply: call => call.Ordinal == 1 ? RateLimited("Retry-After", "1") : null, clock: clock);
        using var client = RemoteClients.Create(server.Endpoint, new RemoteCallOptions(), clock);

        var reply = client.AskAsync("hello");
        await clock.TimerSetAsync(OneSecond);
        var pausedUntil = client.GetService<ModelEndpoint>()!.Pause.PausedUntil;
        clock.Advance(OneSecond);

        Assert.Equal("ok", (await reply.WaitAsync(TimeSpan.FromSeconds(10))).Text);
        Assert.Equal(clock.Start + OneSecond, pausedUntil);
        var requests = server.Requests;
        Assert.Equal([429, 200], requests.Select(r => r.Status));
        Assert.Equal(OneSecond, requests[1].Arrived - requests[0].Arrived);
    }

    [Fact]
    public async Task An_exhausted_request_budget_pauses_the_next_call_until_the_reset()
    {
        var clock = new VirtualClock();
        await using var server = await FakeOpenAiServer.StartAsync(
            _ => "ok",
            reply: call => call.Ordinal == 1
                ? new FakeReply(200, new Dictionary<string, string> { ["x-ratelimit-remaining-requests"] = "0", ["x-ratelimit-reset-requests"] = "1s" })
                : null,
            clock: clock);
        using var client = RemoteClients.Create(server.Endpoint, new RemoteCallOptions(), clock);

        await client.AskAsync("first");
        var second = client.AskAsync("second");
        await clock.TimerSetAsync(OneSecond);
        clock.Advance(OneSecond);
        await second.WaitAsync(TimeSpan.FromSeconds(10));

        var requests = server.Requests;
        Assert.Equal([200, 200], requests.Select(r => r.Status));
        Assert.Equal(OneSecond, requests[1].Arrived - requests[0].Arrived);
    }

    [Fact]
    public async Task A_429_given_as_an_HTTP_date_is_honoured()
    {
        // HTTP dates have whole seconds; the virtual clock starts on one, so the date says exactly 2 s from now.
        var clock = new VirtualClock();
        var wait = TimeSpan.FromSeconds(2);
        await using var server = await FakeOpenAiServer.StartAsync(
            _ => "ok", reply: call => call.Ordinal == 1 ? RateLimited("Retry-After", (clock.Start + wait).ToString("r")) : null, clock: clock);
        using var client = RemoteClients.Create(server.Endpoint, new RemoteCallOptions(), clock);

        var reply = client.AskAsync("hello");
        await clock.TimerSetAsync(wait);
        clock.Advance(wait);
        await reply.WaitAsync(TimeSpan.FromSeconds(10));

        var requests = server.Requests;
        Assert.Equal([429, 200], requests.Select(r => r.Status));
        Assert.Equal(wait, requests[1].Arrived - requests[0].Arrived);
    }

    [Fact]
    public async Task An_evals_stored_latency_is_the_successful_call_not_the_wait_before_it()
    {
        // The whole eval, so on the system's clock: the latency as the store keeps it.
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
}
