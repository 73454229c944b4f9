using System.Text.Json;
using AdaptLab.Core.Store;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests.Variants;

/// <summary>Nearest-neighbour examples, embedded with the real all-MiniLM-L6-v2 through the engine.</summary>
public sealed class NearestShotsTests
{
    [Fact]
    public async Task The_closest_train_inputs_are_chosen_closest_last()
    {
        await using var server = await FakeOpenAiServer.StartAsync(_ => "x");
        using var dir = new TempDir();
        dir.Write("train.jsonl", """
            {"id": "card", "text": "My card has not arrived yet, how long does delivery take?", "label": "card_arrival"}
            {"id": "card2", "text": "When will the new debit card be delivered to me?", "label": "card_arrival"}
            {"id": "rate", "text": "What exchange rate do you use for euros?", "label": "exchange_rate"}
            {"id": "pin", "text": "I forgot my PIN code, how can I reset it?", "label": "pin"}
            {"id": "weather", "text": "The weather at the beach was sunny and warm.", "label": "other"}
            """);
        dir.Write("test.jsonl", """
            {"id": "q1", "text": "How long until my card is delivered?", "label": "card_arrival"}
            {"id": "q2", "text": "Which rate do you apply when I exchange dollars to euros?", "label": "exchange_rate"}
            """);
        dir.Write("prompt.liquid", "{{ input }}");
        var task = dir.Write("adaptlab.yaml", $$"""
            name: nearest
            task: classification
            data: { train: train.jsonl, test: test.jsonl, fields: { id: id, input: text, expected: label } }
            metrics: [accuracy]
            models:
              fake: { ref: "openai-compatible:fake", endpoint: "{{server.Endpoint}}" }
            defaults: { model: fake, max_tokens: 4 }
            variants:
              - { name: knn, prompt: prompt.liquid, shots: { select: nearest, k: 2 } }
            """);

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
}
