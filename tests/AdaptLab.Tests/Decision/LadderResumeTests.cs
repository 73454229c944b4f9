using System.Globalization;
using System.Text;
using AdaptLab.Core.Store;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests.Decision;

/// <summary>A climb killed mid-rung resumes at that rung and item; constraints keep rungs off the ladder.</summary>
public class LadderResumeTests
{
    private const int Items = 300;

    /// <summary>Right on every item shown examples; closed-book wrong on every fifth: the climb must reach few-shot.</summary>
    private static string Answer(string prompt)
    {
        var shown = prompt.Split("message number ").Length - 1;
        var marker = prompt.LastIndexOf("message number ", StringComparison.Ordinal) + 15;
        var end = prompt.IndexOf('\n', marker);
        var i = int.Parse(prompt[marker..(end < 0 ? prompt.Length : end)], CultureInfo.InvariantCulture);
        return shown == 1 && i % 5 == 0 ? SentimentTask.Labels[(i + 1) % 3] : SentimentTask.Label(i);
    }

    [Fact]
    public async Task A_climb_killed_in_its_second_rung_resumes_there_and_asks_nothing_twice()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Answer, delay: TimeSpan.FromMilliseconds(30));
        using var dir = new TempDir();
        var task = WriteTask(dir, server.Endpoint, localOnly: false);
        var storePath = dir.Path("runs.db");

        using (var child = CliProcess.Start(null, "run", task, "--store", storePath))
        {
            await WaitForAsync(storePath, "few-shot", atLeast: 60, child);
            child.Process.Kill(entireProcessTree: true);
            Assert.NotEqual(0, await child.WaitAsync());
        }

        int fewShotBefore;
        using (var store = RunStore.Open(storePath))
        {
            var study = store.FindStudy("latest")!;
            Assert.False(study.IsCompleted);
            Assert.Equal(RungStatus.Measured, store.GetStudyRungs(study.Id).Single(r => r.Rung == "prompt").Status);
            fewShotBefore = store.GetPredictions(study.RunId).Count(p => p.Variant == "few-shot");
            Assert.InRange(fewShotBefore, 60, Items - 1);
        }

        var callsBefore = server.Calls;
        var resumed = await AdaptLabCli.RunAsync("run", task, "--resume", "--store", storePath);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("Recommendation: prompting is enough", resumed.Output, StringComparison.Ordinal);
        using (var store = RunStore.Open(storePath))
        {
            var study = Assert.Single(store.ListStudies());
            Assert.True(study.IsCompleted);
            var predictions = store.GetPredictions(study.RunId);
            Assert.Equal(Items, predictions.Count(p => p.Variant == "prompt"));
            Assert.Equal(Items, predictions.Count(p => p.Variant == "few-shot"));
            Assert.Equal(["few-shot", "prompt"], store.GetVariants(study.RunId).Select(v => v.Name).Order()); // probes off, nothing above few-shot
            var fromCache = predictions.Count(p => p.Variant == "few-shot" && p.Cached);
            Assert.Equal(Items - fewShotBefore, server.Calls - callsBefore + fromCache);
            Assert.InRange(fromCache, 0, 4);
        }
    }

    [Fact]
    public async Task Data_that_may_not_leave_the_machine_keeps_remote_rungs_off_the_ladder()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Answer);
        using var dir = new TempDir();
        var task = WriteTask(dir, server.Endpoint, localOnly: true);

        var result = await AdaptLabCli.RunAsync("run", task, "--store", dir.Path("runs.db"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no rung could be measured: prompt: data may not leave the machine (ladder.local_only)", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, server.Calls);
    }

    private static string WriteTask(TempDir dir, string endpoint, bool localOnly)
    {
        // Ids of their own: rows would otherwise be numbered alike in both splits, and a shot may never share a test item's id.
        var csv = new StringBuilder("id,text,label\n");
        var train = new StringBuilder("id,text,label\n");
        for (var i = 0; i < Items; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"test-{i},{SentimentTask.Message(i)},{SentimentTask.Label(i)}\n");
            train.Append(CultureInfo.InvariantCulture, $"train-{i},{SentimentTask.Message(i + 3000)},{SentimentTask.Label(i)}\n");
        }

        dir.Write("data/test.csv", csv.ToString());
        dir.Write("data/train.csv", train.ToString());
        dir.Write("prompts/classify.liquid", "{% for s in shots %}Text: {{ s.input }}\nLabel: {{ s.expected }}\n{% endfor %}Text: {{ input }}\nLabel:");
        return dir.Write("adaptlab.yaml", $$"""
            name: sentiment-ladder
            task: classification
            data:
              train: data/train.csv
              test: data/test.csv
              fields: { id: id, input: text, expected: label }
            metrics: [accuracy]
            targets: { accuracy: 0.95 }
            models:
              fake: { ref: "openai-compatible:fake-model", endpoint: "{{endpoint}}" }
            defaults: { model: fake, temperature: 0, max_tokens: 8 }
            concurrency: 4
            variants:
              - { name: zero-shot, prompt: prompts/classify.liquid }
              - { name: two-shot, prompt: prompts/classify.liquid, shots: { select: random, k: 2, seed: 1, as: variable } }
            ladder: { diagnose: { samples: 0 }, local_only: {{(localOnly ? "true" : "false")}} }
            """);
    }

    private static async Task WaitForAsync(string storePath, string variant, int atLeast, CliProcess child)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(child.Process.HasExited, $"the climb ended before it could be killed:\n{child.Output}\n{child.Errors}");
            if (File.Exists(storePath))
            {
                try
                {
                    using var store = RunStore.Open(storePath);
                    if (store.FindStudy("latest") is { } study && store.GetPredictions(study.RunId).Count(p => p.Variant == variant) >= atLeast)
                    {
                        return;
                    }
                }
                catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or AdaptLab.InputException)
                {
                    // The child holds the write lock a moment, or is still creating the store's tables; look again.
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"no {atLeast} predictions of {variant} within 120 s:\n{child.Output}\n{child.Errors}");
    }
}
