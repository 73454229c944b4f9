using System.Globalization;
using System.Text;
using System.Text.Json;
using AdaptLab.Core.Store;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests.Variants;

/// <summary>Few-shot variants end to end against a real HTTP server: what is chosen, what is sent, what is stored.</summary>
public sealed class FewShotTests
{
    private const int TestItems = 12;

    /// <summary>
    /// A train split of 30 (ten per label) whose first three rows repeat test items (two by id, one by input),
    /// the leak a pool must never show.
    /// </summary>
    private static string WriteTask(TempDir dir, string endpoint, string variants)
    {
        var test = new StringBuilder("id,text,label\n");
        for (var i = 0; i < TestItems; i++)
        {
            test.Append(CultureInfo.InvariantCulture, $"t{i},{SentimentTask.Message(i)},{SentimentTask.Label(i)}\n");
        }

        var train = new StringBuilder("id,text,label\nt0,a leaked copy,negative\nt1,another leaked copy,neutral\nx-leak,message number 2,positive\n");
        for (var i = 0; i < 27; i++)
        {
            train.Append(CultureInfo.InvariantCulture, $"r{i},example text {i},{SentimentTask.Label(i)}\n");
        }

        dir.Write("data/test.csv", test.ToString());
        dir.Write("data/train.csv", train.ToString());
        dir.Write("prompts/classify.liquid", "Text: {{ input }}\nLabel:");
        return dir.Write("adaptlab.yaml", $$"""
            name: sentiment-shots
            task: classification
            data:
              train: data/train.csv
              test: data/test.csv
              fields: { id: id, input: text, expected: label }
            metrics: [accuracy]
            models:
              fake: { ref: "openai-compatible:fake-model", endpoint: "{{endpoint}}" }
            defaults: { model: fake, temperature: 0, max_tokens: 8 }
            variants:
            {{variants}}
            """);
    }

    private static Func<string, string> Answer => prompt => prompt.Contains("message number", StringComparison.Ordinal)
        ? SentimentTask.Model(wrongEvery: 1000)(prompt)
        : "neutral";

    [Fact]
    public async Task Shots_come_from_train_never_from_test_items_are_sent_as_turns_and_stored_per_item()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Answer);
        using var dir = new TempDir();
        var task = WriteTask(dir, server.Endpoint, """
              - { name: fixed, prompt: prompts/classify.liquid, shots: { select: fixed, ids: [r4, r0] } }
              - { name: random, prompt: prompts/classify.liquid, shots: { select: random, k: 4, seed: 3 } }
              - { name: balanced, prompt: prompts/classify.liquid, shots: { select: balanced, k: 3, seed: 3 } }
            """);

        var result = await AdaptLabCli.RunAsync("eval", task, "--store", dir.Path("runs.db"));

        Assert.True(result.ExitCode == 0, result.ToString());
        using var store = RunStore.Open(dir.Path("runs.db"));
        var run = store.FindRun("latest")!;
        var predictions = store.GetPredictions(run.Id);
        var shots = predictions.ToDictionary(p => (p.Variant, p.ItemIndex), p => JsonSerializer.Deserialize<StoredContext>(p.Context!)!.Shots);
        var labelOf = File.ReadAllLines(dir.Path("data/train.csv")).Skip(1).Select(l => l.Split(',')).ToDictionary(c => c[0], c => c[2]);

        Assert.All(shots.Where(s => s.Key.Variant == "fixed"), s => Assert.Equal(["r4", "r0"], s.Value));
        Assert.All(shots.Values, ids => Assert.All(ids, id => Assert.StartsWith("r", id)));
        Assert.All(shots.Where(s => s.Key.Variant == "random"), s => Assert.Equal(4, s.Value.Distinct().Count()));
        Assert.True(shots.Where(s => s.Key.Variant == "random").Select(s => string.Join(",", s.Value)).Distinct().Count() > 1, "random draws differ between items");
        Assert.All(shots.Where(s => s.Key.Variant == "balanced"), s => Assert.Equal(3, s.Value.Select(id => labelOf[id]).Distinct().Count()));

        // Each example is the item's turn rendered with its input, answered by its label, just before the item's own turn.
        var request = server.Requests.First(r => r.Messages.Count == 5 && r.Prompt.Contains("message number 7", StringComparison.Ordinal));
        Assert.Equal(["user", "assistant", "user", "assistant", "user"], request.Messages.Select(m => m.Role));
        Assert.Equal("Text: example text 4\nLabel:", request.Messages[0].Content);
        Assert.Equal(labelOf["r4"], request.Messages[1].Content);
        Assert.Equal("Text: message number 7\nLabel:", request.Messages[4].Content);
    }

    [Fact]
    public async Task The_same_seed_draws_the_same_shots_and_changing_a_setting_is_a_new_variant_with_new_calls()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Answer);
        using var dir = new TempDir();
        const string variant = "  - { name: random, prompt: prompts/classify.liquid, shots: { select: random, k: 2, seed: SEED } }";
        var store = dir.Path("runs.db");

        var task = WriteTask(dir, server.Endpoint, variant.Replace("SEED", "1"));
        Assert.Equal(0, (await AdaptLabCli.RunAsync("eval", task, "--store", store)).ExitCode);
        var afterFirst = server.Calls;
        Assert.Equal(0, (await AdaptLabCli.RunAsync("eval", task, "--store", store)).ExitCode);
        var afterRepeat = server.Calls;
        WriteTask(dir, server.Endpoint, variant.Replace("SEED", "2"));
        Assert.Equal(0, (await AdaptLabCli.RunAsync("eval", task, "--store", store)).ExitCode);

        Assert.Equal(TestItems, afterFirst);
        Assert.Equal(afterFirst, afterRepeat);
        Assert.Equal(2 * TestItems, server.Calls);
        using var runs = RunStore.Open(store);
        var all = runs.ListRuns().Reverse().ToList();
        var identities = all.Select(r => runs.GetVariants(r.Id).Single().Identity).ToList();
        Assert.Equal(identities[0], identities[1]);
        Assert.NotEqual(identities[1], identities[2]);
        Assert.Equal(runs.GetPredictions(all[0].Id).Select(p => p.Context), runs.GetPredictions(all[1].Id).Select(p => p.Context));
        Assert.NotEqual(runs.GetPredictions(all[1].Id).Select(p => p.Context), runs.GetPredictions(all[2].Id).Select(p => p.Context));
    }

    [Theory]
    [InlineData("{ select: fixed, ids: [t0] }", "variants.v.shots.ids", "also a test item")]
    [InlineData("{ select: fixed, ids: [x-leak] }", "variants.v.shots.ids", "also a test item")]
    [InlineData("{ select: fixed, ids: [nope] }", "variants.v.shots.ids", "has the id 'nope'")]
    [InlineData("{ select: random, k: 28 }", "variants.v.shots.k", "27 items to choose from (3 more are test items)")]
    [InlineData("{ select: random }", "variants[0].shots", "needs `k`")]
    [InlineData("{ select: balanced, k: 2, ids: [r1] }", "variants[0].shots.ids", "is for select: fixed")]
    [InlineData("{ select: similar, k: 2 }", "variants[0].shots.select", "")]
    [InlineData("{ select: search, k: 2 }", "variants[0].shots", "this task has no data.dev")]
    [InlineData("{ select: random, k: 2, candidates: 3 }", "variants[0].shots.candidates", "is for select: search")]
    public async Task Impossible_shot_settings_are_input_errors_that_name_the_field(string shots, string field, string message)
    {
        await using var server = await FakeOpenAiServer.StartAsync(Answer);
        using var dir = new TempDir();
        var task = WriteTask(dir, server.Endpoint, $"  - {{ name: v, prompt: prompts/classify.liquid, shots: {shots} }}");

        var result = await AdaptLabCli.RunAsync("eval", task, "--store", dir.Path("runs.db"));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(field, result.Error);
        Assert.Contains(message, result.Error);
        Assert.Equal(0, server.Calls);
        using var store = RunStore.Open(dir.Path("runs.db"));
        Assert.Empty(store.ListRuns());
    }

    [Theory]
    [InlineData("{ select: fixed, ids: ['3', '0'] }", 0, "")]
    [InlineData("{ select: random, k: 29, seed: 1 }", 0, "")]
    [InlineData("{ select: fixed, ids: ['2'] }", 2, "train item '2' is also a test item (the same input)")]
    [InlineData("{ select: random, k: 30 }", 2, "29 items to choose from (1 more are test items)")]
    public async Task Without_an_id_field_row_numbers_are_per_split_and_only_the_same_input_is_a_leak(string shots, int exitCode, string message)
    {
        await using var server = await FakeOpenAiServer.StartAsync(Answer);
        using var dir = new TempDir();
        var task = WriteTask(dir, server.Endpoint, $"  - {{ name: v, prompt: prompts/classify.liquid, shots: {shots} }}");
        foreach (var split in new[] { "data/test.csv", "data/train.csv" })
        {
            File.WriteAllLines(dir.Path(split), File.ReadAllLines(dir.Path(split)).Select(l => l[(l.IndexOf(',', StringComparison.Ordinal) + 1)..]));
        }

        File.WriteAllText(task, File.ReadAllText(task).Replace("id: id, ", string.Empty));

        var result = await AdaptLabCli.RunAsync("eval", task, "--store", dir.Path("runs.db"));

        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.Contains(message, result.Error);
    }

    [Fact]
    public async Task Shots_without_a_train_split_name_the_line()
    {
        using var dir = new TempDir();
        var task = WriteTask(dir, "http://127.0.0.1:9/v1", "  - { name: v, prompt: prompts/classify.liquid, shots: { select: random, k: 2 } }");
        File.WriteAllText(task, File.ReadAllText(task).Replace("  train: data/train.csv\n", string.Empty));

        var result = await AdaptLabCli.RunAsync("validate", task);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("adaptlab.yaml:11", result.Error);
        Assert.Contains("no data.train", result.Error);
    }

    private sealed record StoredContext([property: System.Text.Json.Serialization.JsonPropertyName("shots")] List<string> Shots);
}
