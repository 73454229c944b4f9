using AdaptLab.Core.Models;
using AdaptLab.Core.Models.Pipeline;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests.Models;

public class ConcurrencyTests
{
    [Fact]
    public async Task Clients_of_one_endpoint_share_its_concurrency_limit()
    {
        await using var server = await FakeOpenAiServer.StartAsync(_ => "ok", delay: TimeSpan.FromMilliseconds(100));
        var providers = ModelProviders.CreateDefault();
        var options = new RemoteCallOptions { MaxConcurrency = 3 };
        using var first = RemoteClients.Create(providers, server.Endpoint, options);
        using var second = RemoteClients.Create(providers, server.Endpoint, options);

        await Task.WhenAll(Enumerable.Range(0, 10).SelectMany(i => new[] { first.AskAsync($"a{i}"), second.AskAsync($"b{i}") }));

        Assert.Equal(20, server.Calls);
        Assert.InRange(server.MaxInFlight, 2, 3);
    }

    [Fact]
    public async Task An_eval_keeps_to_the_models_max_concurrency()
    {
        await using var server = await FakeOpenAiServer.StartAsync(SentimentTask.Model(), delay: TimeSpan.FromMilliseconds(50));
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, server.Endpoint, items: 24, concurrency: 8);
        File.WriteAllText(task, File.ReadAllText(task).Replace("output_price_per_1m: 2.0", "output_price_per_1m: 2.0, max_concurrency: 2"));

        var result = await AdaptLabCli.RunAsync("eval", task, "--store", dir.Path("runs.db"), "--no-cache");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(24, server.Calls);
        Assert.Equal(2, server.MaxInFlight);
    }
}
