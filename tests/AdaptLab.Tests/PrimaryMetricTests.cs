using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AdaptLab.Core.Items;
using AdaptLab.Core.Ladder;
using AdaptLab.Core.Store;
using AdaptLab.Core.Tasks;
using AdaptLab.Core.Training;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests;

/// <summary>One primary metric: the first listed metric with a target, else the first listed, wherever one number decides.</summary>
public sealed class PrimaryMetricTests
{
    private static RunMetric Metric(string name) => new(name, new Dictionary<string, string>());

    private static RunConfig Config(IReadOnlyDictionary<string, double> targets) =>
        new(TaskKind.Classification, [Metric("macro_f1"), Metric("accuracy"), Metric("weighted_f1")], targets, null, null, null, SentimentTask.Labels);

    [Fact]
    public void The_primary_metric_is_the_first_listed_with_a_target_else_the_first_listed()
    {
        Assert.Equal("accuracy", Config(new Dictionary<string, double> { ["accuracy"] = 0.8 }).PrimaryMetric().Key);
        Assert.Equal("accuracy", Config(new Dictionary<string, double> { ["weighted_f1"] = 0.7, ["accuracy"] = 0.8 }).PrimaryMetric().Key);
        Assert.Equal("macro_f1", Config(new Dictionary<string, double>()).PrimaryMetric().Key);
        Assert.Equal("accuracy", Config(new Dictionary<string, double> { ["accuracy"] = 0.8 }).CreatePrimaryMetric().Name);
    }

    [Fact]
    public async Task The_ladder_the_few_shot_search_the_dev_score_and_refine_agree_when_the_first_metric_has_no_target()
    {
        await using var server = await FakeOpenAiServer.StartAsync(SentimentTask.Model(wrongEvery: 2));
        using var dir = new TempDir();
        var task = WriteTask(dir, server.Endpoint);
        var store = dir.Path("runs.db");

        var eval = await AdaptLabCli.RunAsync("eval", task, "--store", store);
        var refine = await AdaptLabCli.RunAsync("refine", task, "--variant", "searched", "--prompt-file", dir.Path("p.liquid"), "--store", store);

        Assert.True(eval.ExitCode is 0 or 1, eval.ToString());
        Assert.True(refine.ExitCode == 0, refine.ToString());
        using var runs = RunStore.Open(store);
        var run = runs.ListRuns().Single();
        // Positive control: the task lists macro_f1 first, which the old rule of the search, the dev score and refine took.
        Assert.Equal("macro_f1", run.Config.Metrics[0].Key);
        Assert.Equal("accuracy", run.Config.PrimaryMetric().Key);

        var search = JsonNode.Parse(runs.GetVariants(run.Id).Single().Pipeline!)!["shots"]!["search"]!;
        Assert.Equal("accuracy", (string)search["metric"]!);

        var definition = TaskFileLoader.Load(task);
        Assert.Equal("accuracy", new DevScorer([], RunConfig.From(definition, LabelSet.Resolve(definition)), definition.Variants[0]).Metric);

        var scores = runs.GetScores(run.Id).ToList();
        var wrong = scores.Where(s => s.Metric == "accuracy" && s.Value < 1).Select(s => s.ItemIndex).Order().ToList();
        Assert.NotEmpty(wrong);
        Assert.Equal(wrong, StudyReportBuilder.FailingItems(run, scores).Order());

        Assert.Contains($"{wrong.Count} of 12 items short on accuracy", refine.Output);
    }

    /// <summary>Metrics [macro_f1, accuracy], a target on accuracy only; a searched few-shot variant, so a dev split.</summary>
    private static string WriteTask(TempDir dir, string endpoint)
    {
        string Split(string id, string text, int count)
        {
            var csv = new StringBuilder("id,text,label\n");
            for (var i = 0; i < count; i++)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{id}{i},{text} {i},{SentimentTask.Label(i)}\n");
            }

            return csv.ToString();
        }

        dir.Write("train.csv", Split("r", "example text", 6));
        dir.Write("dev.csv", Split("d", "message number", 4));
        dir.Write("test.csv", Split("t", "message number", 12));
        dir.Write("p.liquid", "Text: {{ input }}\nLabel:");
        return dir.Write("adaptlab.yaml", $$"""
            name: primary
            task: classification
            data: { train: train.csv, dev: dev.csv, test: test.csv, fields: { id: id, input: text, expected: label } }
            metrics: [macro_f1, accuracy]
            targets: { accuracy: 0.2 }
            models:
              fake: { ref: "openai-compatible:fake", endpoint: "{{endpoint}}" }
            defaults: { model: fake, max_tokens: 4 }
            variants:
              - { name: searched, prompt: p.liquid, shots: { select: search, k: 2, candidates: 2, seed: 1 } }
            """);
    }
}
