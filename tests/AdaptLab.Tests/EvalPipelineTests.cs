using AdaptLab.Core.Store;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests;

public class EvalPipelineTests
{
    [Fact]
    public async Task Eval_stores_every_prediction_scores_them_and_passes_the_gates()
    {
        await using var server = await FakeOpenAiServer.StartAsync(SentimentTask.Model(wrongEvery: 5));
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, server.Endpoint, items: 100);

        var result = await AdaptLabCli.RunAsync("eval", task, "--store", dir.Path("runs.db"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(100, server.Calls);
        using var store = RunStore.Open(dir.Path("runs.db"));
        var run = store.FindRun("latest")!;
        Assert.True(run.IsCompleted);
        var predictions = store.GetPredictions(run.Id);
        Assert.Equal(100, predictions.Count);
        Assert.All(predictions, p => Assert.NotNull(p.Cost));
        var accuracy = store.GetMetricResults(run.Id).Single(r => r.Metric == "accuracy");
        Assert.Equal(0.8, accuracy.Value, 12);
        Assert.Equal(100, accuracy.N);
        Assert.True(accuracy.Lower < 0.8 && accuracy.Upper > 0.8, $"interval [{accuracy.Lower}, {accuracy.Upper}]");
        Assert.Contains("Wilson", accuracy.Method);
        Assert.Equal(20, store.GetScores(run.Id).Count(s => s.Metric == "accuracy" && s.Value == 0));
    }

    [Fact]
    public async Task Rerunning_an_unchanged_eval_makes_zero_model_calls()
    {
        await using var server = await FakeOpenAiServer.StartAsync(SentimentTask.Model());
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, server.Endpoint, items: 60);
        var store = dir.Path("runs.db");

        var first = await AdaptLabCli.RunAsync("eval", task, "--store", store);
        var callsAfterFirst = server.Calls;
        var second = await AdaptLabCli.RunAsync("eval", task, "--store", store, "--json");
        var callsAfterSecond = server.Calls;
        var third = await AdaptLabCli.RunAsync("eval", task, "--store", store, "--no-cache");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Equal(60, callsAfterFirst);
        Assert.Equal(callsAfterFirst, callsAfterSecond);
        Assert.Equal(120, server.Calls);
        using var runs = RunStore.Open(store);
        var all = runs.ListRuns();
        Assert.Equal(3, all.Count);
        var cachedRun = all[1];
        Assert.All(runs.GetPredictions(cachedRun.Id), p => Assert.True(p.Cached));
        Assert.Equal(
            runs.GetPredictions(all[2].Id).Select(p => (p.ItemIndex, p.Output, p.LatencyMs)),
            runs.GetPredictions(cachedRun.Id).Select(p => (p.ItemIndex, p.Output, p.LatencyMs)));
    }

    [Fact]
    public async Task A_missed_accuracy_target_exits_1()
    {
        await using var server = await FakeOpenAiServer.StartAsync(SentimentTask.Model(wrongEvery: 2));
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, server.Endpoint, items: 40);

        var result = await AdaptLabCli.RunAsync("eval", task, "--store", dir.Path("runs.db"));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("gate missed", result.Output);
        Assert.Contains("accuracy", result.Output);
    }

    [Fact]
    public async Task Failed_calls_are_errors_not_scores_and_resume_retries_only_them()
    {
        var failing = true;
        await using var server = await FakeOpenAiServer.StartAsync(
            SentimentTask.Model(wrongEvery: 1000),
            status: prompt => failing && prompt.Contains("number 1", StringComparison.Ordinal) ? 400 : 200);
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, server.Endpoint, items: 30);
        var storePath = dir.Path("runs.db");

        var first = await AdaptLabCli.RunAsync("eval", task, "--store", storePath);

        // items 1 and 10..19 fail: 11 of 30 errors, above the 5% error-rate gate
        Assert.True(first.ExitCode == 1, first.ToString());
        using (var store = RunStore.Open(storePath))
        {
            var run = store.FindRun("latest")!;
            Assert.False(run.IsCompleted);
            Assert.Equal(11, store.GetPredictions(run.Id).Count(p => p.Error is not null));
            var accuracy = store.GetMetricResults(run.Id).Single(r => r.Metric == "accuracy");
            Assert.Equal(19, accuracy.N);
            Assert.Equal(18.0 / 19, accuracy.Value, 12); // item 0 is answered wrong by design
        }

        failing = false;
        var callsBefore = server.Calls;
        var resumed = await AdaptLabCli.RunAsync("eval", task, "--store", storePath, "--resume");

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal(11, server.Calls - callsBefore);
        using (var store = RunStore.Open(storePath))
        {
            var run = store.FindRun("latest")!;
            Assert.Single(store.ListRuns());
            Assert.True(run.IsCompleted);
            Assert.All(store.GetPredictions(run.Id), p => Assert.Null(p.Error));
            Assert.Equal(30, store.GetMetricResults(run.Id).Single(r => r.Metric == "accuracy").N);
        }
    }

    [Fact]
    public async Task An_unreachable_model_is_an_infrastructure_failure()
    {
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, "http://127.0.0.1:9/v1", items: 5, concurrency: 1);

        var result = await AdaptLabCli.RunAsync("eval", task, "--store", dir.Path("runs.db"));

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("every call of variant 'zero-shot' failed", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }
}
