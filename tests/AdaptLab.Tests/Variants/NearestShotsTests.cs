using System.Text.Json;
using AdaptLab.Core.Store;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests.Variants;

/// <summary>Nearest-neighbour examples, embedded with the real all-MiniLM-L6-v2 through the engine.</summary>
public sealed class NearestShotsTests
{
    private const string Weather = "The weather at the beach was sunny and warm.";

    [Fact]
    public async Task The_closest_train_inputs_are_chosen_closest_last()
    {
        await using var server = await FakeOpenAiServer.StartAsync(_ => "x");
        using var dir = new TempDir();
        var task = WriteTask(dir, server.Endpoint);

        var result = await AdaptLabCli.RunAsync("eval", task, "--store", dir.Path("runs.db"));

        Assert.True(result.ExitCode is 0 or 1, result.ToString());
        using var store = RunStore.Open(dir.Path("runs.db"));
        var shots = store.GetPredictions(store.FindRun("latest")!.Id)
            .ToDictionary(p => p.ItemIndex, p => JsonDocument.Parse(p.Context!).RootElement.GetProperty("shots").EnumerateArray().Select(e => e.GetString()).ToList());
        Assert.Equal(2, shots[0].Count);
        Assert.Equal(["card", "card2"], shots[0].Order());
        Assert.Equal("rate", shots[1][^1]);
        Assert.Contains("all-MiniLM-L6-v2", store.GetVariants(store.FindRun("latest")!.Id).Single().Pipeline);
    }

    [Fact]
    public async Task A_second_run_embeds_nothing_and_a_changed_train_input_alone_is_embedded_again()
    {
        await using var server = await FakeOpenAiServer.StartAsync(_ => "x");
        using var dir = new TempDir();
        var task = WriteTask(dir, server.Endpoint);
        using var encoder = new CountingEncoder(new AdaptLab.Engine.LocalEngine().OpenSentenceEncoder());
        var embedded = new List<int>();
        async Task Eval()
        {
            var before = encoder.Texts;
            var result = await AdaptLabCli.RunAsync(encoder.Providers(), "eval", task, "--store", dir.Path("runs.db"));
            Assert.True(result.ExitCode is 0 or 1, result.ToString());
            embedded.Add(encoder.Texts - before);
        }

        await Eval();
        await Eval();
        File.WriteAllText(dir.Path("train.jsonl"), File.ReadAllText(dir.Path("train.jsonl")).Replace(Weather, "It snowed in the mountains all week.", StringComparison.Ordinal));
        await Eval();

        // The 5 train inputs and the 2 test inputs; then none; then the changed train input alone.
        Assert.Equal([7, 0, 1], embedded);
    }

    private static string WriteTask(TempDir dir, string endpoint)
    {
        dir.Write("train.jsonl", $$"""
            {"id": "card", "text": "My card has not arrived yet, how long does delivery take?", "label": "card_arrival"}
            {"id": "card2", "text": "When will the new debit card be delivered to me?", "label": "card_arrival"}
            {"id": "rate", "text": "What exchange rate do you use for euros?", "label": "exchange_rate"}
            {"id": "pin", "text": "I forgot my PIN code, how can I reset it?", "label": "pin"}
            {"id": "weather", "text": "{{Weather}}", "label": "other"}
            """);
        dir.Write("test.jsonl", """
            {"id": "q1", "text": "How long until my card is delivered?", "label": "card_arrival"}
            {"id": "q2", "text": "Which rate do you apply when I exchange dollars to euros?", "label": "exchange_rate"}
            """);
        dir.Write("prompt.liquid", "{{ input }}");
        return dir.Write("adaptlab.yaml", $$"""
            name: nearest
            task: classification
            data: { train: train.jsonl, test: test.jsonl, fields: { id: id, input: text, expected: label } }
            metrics: [accuracy]
            models:
              fake: { ref: "openai-compatible:fake", endpoint: "{{endpoint}}" }
            defaults: { model: fake, max_tokens: 4 }
            variants:
              - { name: knn, prompt: prompt.liquid, shots: { select: nearest, k: 2 } }
            """);
    }
}
