using AdaptLab.Core.Store;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;
using Microsoft.Data.Sqlite;

namespace AdaptLab.Tests;

/// <summary>kill -9 of a real `adaptlab eval` process mid-run, then `--resume`: nothing lost, nothing twice.</summary>
public class KillResumeTests
{
    [Fact]
    public async Task A_run_killed_mid_way_resumes_with_no_lost_and_no_duplicated_predictions()
    {
        const int items = 400;
        await using var server = await FakeOpenAiServer.StartAsync(SentimentTask.Model(), delay: TimeSpan.FromMilliseconds(40));
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, server.Endpoint, items, concurrency: 4);
        var storePath = dir.Path("runs.db");

        using (var child = CliProcess.Start(null, "eval", task, "--store", storePath))
        {
            await WaitForPredictionsAsync(storePath, atLeast: 100, child);
            child.Process.Kill(entireProcessTree: true);
            Assert.NotEqual(0, await child.WaitAsync());
        }

        int storedBeforeResume;
        using (var store = RunStore.Open(storePath))
        {
            var killed = store.FindRun("latest")!;
            Assert.False(killed.IsCompleted);
            storedBeforeResume = store.GetPredictions(killed.Id).Count;
            Assert.InRange(storedBeforeResume, 100, items - 1);
        }

        var callsBeforeResume = server.Calls;
        var resumed = await AdaptLabCli.RunAsync("eval", task, "--store", storePath, "--resume");

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        int fromCache;
        using (var store = RunStore.Open(storePath))
        {
            var run = Assert.Single(store.ListRuns());
            Assert.True(run.IsCompleted);
            var predictions = store.GetPredictions(run.Id);
            Assert.Equal(Enumerable.Range(0, items), predictions.Select(p => p.ItemIndex).Order());
            Assert.All(predictions, p => Assert.Null(p.Error));
            fromCache = predictions.Count(p => p.Cached);
        }

        // The resume asks only for what was not stored. A call that finished just before the kill may
        // have reached the response cache but not the predictions; the resume takes it from there.
        var resumeCalls = server.Calls - callsBeforeResume;
        Assert.Equal(items - storedBeforeResume, resumeCalls + fromCache);
        Assert.InRange(fromCache, 0, 4);
        Assert.All(server.CallsByPrompt.Values, n => Assert.InRange(n, 1, 2));
    }

    private static async Task WaitForPredictionsAsync(string storePath, int atLeast, CliProcess child)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(child.Process.HasExited, $"the eval process ended before it could be killed: {child}");
            if (File.Exists(storePath) && CountPredictions(storePath) >= atLeast)
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"fewer than {atLeast} predictions after 60 s");
    }

    private static long CountPredictions(string storePath)
    {
        try
        {
            using var connection = new SqliteConnection($"Data Source={storePath};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM predictions";
            return (long)command.ExecuteScalar()!;
        }
        catch (SqliteException)
        {
            return 0; // the schema is still being created
        }
    }
}
