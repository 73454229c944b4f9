using System.ClientModel;
using AdaptLab.Core.Models.Pipeline;
using AdaptLab.Core.Store;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests.Models;

/// <summary>
/// Which HTTP failures the OpenAI provider's calls are retried on, with the back-offs run out on a virtual clock. The
/// timeout's own test is <see cref="Pipeline.TimeoutChatClientTests"/>: HTTP would add nothing to it.
/// </summary>
public class RetryAndTimeoutTests
{
    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(408)]
    public async Task A_transient_failure_is_retried_until_it_succeeds(int status)
    {
        var clock = new VirtualClock();
        await using var server = await FakeOpenAiServer.StartAsync(_ => "ok", reply: call => call.Ordinal <= 2 ? new FakeReply(status) : null);
        using var client = RemoteClients.Create(server.Endpoint, new RemoteCallOptions(), clock);

        var reply = client.AskAsync("hello");
        await RunOutBackOffsAsync(clock, retries: 2);

        Assert.Equal("ok", (await reply.WaitAsync(TimeSpan.FromSeconds(10))).Text);
        Assert.Equal([status, status, 200], server.Requests.Select(r => r.Status));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(422)]
    public async Task A_client_error_is_not_retried(int status)
    {
        await using var server = await FakeOpenAiServer.StartAsync(_ => "ok", status: _ => status);
        using var client = RemoteClients.Create(server.Endpoint, new RemoteCallOptions());

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.AskAsync("hello"));

        Assert.Equal(status, error.Status);
        Assert.Equal(1, server.Calls);
    }

    [Fact]
    public async Task Retries_stop_after_max_retries()
    {
        var clock = new VirtualClock();
        await using var server = await FakeOpenAiServer.StartAsync(_ => "ok", status: _ => 503);
        using var client = RemoteClients.Create(server.Endpoint, new RemoteCallOptions { Retry = new RetryOptions { MaxRetries = 2 } }, clock);

        var reply = client.AskAsync("hello");
        await RunOutBackOffsAsync(clock, retries: 2);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => reply.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(503, error.Status);
        Assert.Equal(3, server.Calls);
    }

    [Fact]
    public async Task A_refused_connection_counts_as_transient()
    {
        var clock = new VirtualClock();
        using var client = RemoteClients.Create("http://127.0.0.1:9/v1", new RemoteCallOptions { Retry = new RetryOptions { MaxRetries = 1 } }, clock);

        var reply = client.AskAsync("hello");
        await RunOutBackOffsAsync(clock, retries: 1);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => reply.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(TransientFailures.IsTransient(error, CancellationToken.None), error.ToString());
    }

    [Fact]
    public async Task A_400_in_an_eval_is_an_item_error_asked_once()
    {
        await using var server = await FakeOpenAiServer.StartAsync(
            SentimentTask.Model(wrongEvery: 1000), status: prompt => prompt.EndsWith("message number 2\nLabel:", StringComparison.Ordinal) ? 400 : 200);
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, server.Endpoint, items: 5);

        var result = await AdaptLabCli.RunAsync("eval", task, "--store", dir.Path("runs.db"), "--no-cache");

        Assert.Equal(5, server.Calls);
        using var store = RunStore.Open(dir.Path("runs.db"));
        var run = store.FindRun("latest")!;
        var failed = Assert.Single(store.GetPredictions(run.Id), p => p.Error is not null);
        Assert.Equal(2, failed.ItemIndex);
        Assert.Contains("400", failed.Error);
        Assert.Equal(4, store.GetMetricResults(run.Id).Single(r => r.Metric == "accuracy").N);
        Assert.True(result.ExitCode == 1, result.ToString());
    }

    /// <summary>Lets each back-off run out as soon as it is set, checking it stays below its ceiling (the base, doubling).</summary>
    private static async Task RunOutBackOffsAsync(VirtualClock clock, int retries)
    {
        var ceiling = new RetryOptions().BaseDelay;
        for (var retry = 0; retry < retries; retry++, ceiling *= 2)
        {
            clock.Advance(await clock.TimerSetAsync(due => due < ceiling, $"of a back-off below {ceiling}"));
        }
    }
}
