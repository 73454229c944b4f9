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
/// <remarks>
/// These go through real HTTP, so they run in real time on a 20 ms back-off: on a virtual clock they raced the HTTP
/// calls (a back-off now and then was never seen as a timer). The back-off's ceilings are checked in virtual time on
/// the in-memory model (<c>RetryingChatClientTests</c>).
/// </remarks>
public class RetryAndTimeoutTests
{
    private static readonly RemoteCallOptions Fast = new() { Retry = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(20) } };

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(408)]
    public async Task A_transient_failure_is_retried_until_it_succeeds(int status)
    {
        await using var server = await FakeOpenAiServer.StartAsync(_ => "ok", reply: call => call.Ordinal <= 2 ? new FakeReply(status) : null);
        using var client = RemoteClients.Create(server.Endpoint, Fast);

        Assert.Equal("ok", (await client.AskAsync("hello")).Text);
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
        await using var server = await FakeOpenAiServer.StartAsync(_ => "ok", status: _ => 503);
        using var client = RemoteClients.Create(server.Endpoint, Fast with { Retry = Fast.Retry with { MaxRetries = 2 } });

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.AskAsync("hello"));
        Assert.Equal(503, error.Status);
        Assert.Equal(3, server.Calls);
    }

    [Fact]
    public async Task A_refused_connection_counts_as_transient()
    {
        using var client = RemoteClients.Create("http://127.0.0.1:9/v1", Fast with { Retry = Fast.Retry with { MaxRetries = 1 } });

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.AskAsync("hello"));
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
}
