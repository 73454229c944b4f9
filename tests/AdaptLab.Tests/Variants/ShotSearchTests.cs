using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AdaptLab.Core.Store;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests.Variants;

/// <summary><c>select: search</c>: candidate sets scored on dev only, the best frozen into the variant and recorded.</summary>
public sealed class ShotSearchTests
{
    [Fact]
    public async Task The_best_set_on_dev_is_chosen_recorded_and_used_on_test_and_test_items_are_never_asked_in_the_search()
    {
        // The fake model is right only when the example "example text 4" is in the prompt: a candidate set scores 1 on
        // dev exactly when it holds r4.
        await using var server = await FakeOpenAiServer.StartAsync(prompt => "neutral", reply: call =>
        {
            var question = call.Body!["messages"]!.AsArray().Last()!["content"]!.GetValue<string>();
            var expected = question.Contains("dev message", StringComparison.Ordinal) || question.Contains("message number", StringComparison.Ordinal)
                ? question.Split(' ')[^1].TrimEnd() switch { var n => SentimentTask.Label(int.Parse(n.Replace("\nLabel:", string.Empty), CultureInfo.InvariantCulture)) }
                : "neutral";
            var right = call.Body["messages"]!.ToJsonString().Contains("example text 4\\n", StringComparison.Ordinal);
            return new FakeReply(200, Body: FakeOpenAiServer.Completion(new JsonObject { ["role"] = "assistant", ["content"] = right ? expected : "wrong" }));
        });
        using var dir = new TempDir();
        var train = new StringBuilder("id,text,label\n");
        for (var i = 0; i < 27; i++)
        {
            train.Append(CultureInfo.InvariantCulture, $"r{i},example text {i},{SentimentTask.Label(i)}\n");
        }

        var dev = new StringBuilder("id,text,label\n");
        for (var i = 0; i < 9; i++)
        {
            dev.Append(CultureInfo.InvariantCulture, $"d{i},dev message {i},{SentimentTask.Label(i)}\n");
        }

        var test = new StringBuilder("id,text,label\n");
        for (var i = 0; i < 12; i++)
        {
            test.Append(CultureInfo.InvariantCulture, $"t{i},message number {i},{SentimentTask.Label(i)}\n");
        }

        dir.Write("train.csv", train.ToString());
        dir.Write("dev.csv", dev.ToString());
        dir.Write("test.csv", test.ToString());
        dir.Write("p.liquid", "Text: {{ input }}\nLabel:");
        var task = dir.Write("adaptlab.yaml", $$"""
            name: search
            task: classification
            data: { train: train.csv, dev: dev.csv, test: test.csv, fields: { id: id, input: text, expected: label } }
            metrics: [accuracy]
            models:
              fake: { ref: "openai-compatible:fake", endpoint: "{{server.Endpoint}}" }
            defaults: { model: fake, max_tokens: 4 }
            variants:
              - { name: searched, prompt: p.liquid, shots: { select: search, k: 3, candidates: 12, seed: 5 } }
            """);
        var store = dir.Path("runs.db");

        var result = await AdaptLabCli.RunAsync("eval", task, "--store", store);
        var searchCalls = server.Requests.Count(r => r.Prompt.Contains("dev message", StringComparison.Ordinal));
        var again = await AdaptLabCli.RunAsync("eval", task, "--store", store);

        Assert.True(result.ExitCode is 0 or 1, result.ToString());
        Assert.Equal(12 * 9, searchCalls);
        Assert.Equal(12 * 9 + 12, server.Calls);
        using var runs = RunStore.Open(store);
        var all = runs.ListRuns().Reverse().ToList();
        var variant = runs.GetVariants(all[0].Id).Single();
        var search = JsonNode.Parse(variant.Pipeline!)!["shots"]!["search"]!;
        var scores = search["scores"]!.AsArray().Select(c => (Ids: c!["ids"]!.AsArray().Select(i => (string)i!).ToList(), Score: (double)c["score"]!)).ToList();
        Assert.Equal(12, scores.Count);
        Assert.All(scores, c => Assert.Equal(c.Ids.Contains("r4") ? 1 : 0, c.Score));
        Assert.Equal(1, scores.Max(s => s.Score)); // seed 5 draws r4 in some set, so the choice is not simply the first
        var chosen = search["chosen"]!.AsArray().Select(i => (string)i!).ToList();
        Assert.Equal(scores.First(c => c.Score == scores.Max(s => s.Score)).Ids, chosen);
        Assert.All(runs.GetPredictions(all[0].Id), p => Assert.Equal(chosen, JsonNode.Parse(p.Context!)!["shots"]!.AsArray().Select(i => (string)i!)));
        Assert.All(server.Requests.Where(r => r.Prompt.Contains("dev message", StringComparison.Ordinal)),
            r => Assert.DoesNotContain("message number", string.Concat(r.Messages.Select(m => m.Content))));
        Assert.True(again.ExitCode is 0 or 1, again.ToString());
        Assert.Equal(12 * 9 + 12, server.Calls);

        // The summary counts the search's calls on dev beside the test items' own: asked first, then answered from the cache.
        Assert.Contains("12 model calls (0 failed)", result.Output);
        Assert.Contains("few-shot search on dev: 108 more model calls (0 failed); 0 answers from the response cache", result.Output);
        Assert.Contains("few-shot search on dev: 0 more model calls (0 failed); 108 answers from the response cache", again.Output);
        Assert.Equal(variant.Identity, runs.GetVariants(all[1].Id).Single().Identity);
    }
}
