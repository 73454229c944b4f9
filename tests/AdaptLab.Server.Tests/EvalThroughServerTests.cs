using System.Text.Json.Nodes;
using AdaptLab.Cli;
using AdaptLab.Tests.Support;

namespace AdaptLab.Server.Tests;

/// <summary>A task evaluated twice, on the engine in-process and through the server: every prediction agrees.</summary>
[Collection(ServedStoriesCollection.Name)]
public sealed class EvalThroughServerTests(ServedStories served) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("adaptlab-serve-eval-").FullName;

    [Fact]
    public async Task An_eval_run_through_the_server_predicts_what_the_engine_predicts()
    {
        var example = RepoPaths.Path("examples", "pet-names");
        var task = Path.Combine(folder, "adaptlab.yaml");
        await File.WriteAllTextAsync(task, $$"""
            name: pet-names-served
            task: qa
            data:
              test: {{Path.Combine(example, "facts.jsonl")}}
              fields: { id: id, input: question, expected: answer, extra: { fact: fact } }
              sample: { size: 6, seed: 3 }
            metrics: [exact_match]
            models:
              engine: { ref: "local:{{ServedStories.ModelDirectory}}" }
              served: { ref: "openai-compatible:{{ServedStories.Name}}", endpoint: "{{served.Endpoint}}" }
            defaults: { temperature: 0, max_tokens: 8, stop: [".", ",", "!", "\n"] }
            concurrency: 3
            variants:
              - { name: engine, model: engine, prompt: {{Path.Combine(example, "prompts", "fact-in-context.liquid")}} }
              - { name: served, model: served, prompt: {{Path.Combine(example, "prompts", "fact-in-context.liquid")}} }
            """);
        var store = Path.Combine(folder, "runs.db");

        var eval = await Cli.RunAsync("eval", task, "--store", store, "--json");
        var report = await Cli.RunAsync("report", "latest", "--store", store, "--format", "json", "-o", "-");

        Assert.True(eval.Code is ExitCodes.Ok or ExitCodes.GateMissed, eval.Error);
        var items = JsonNode.Parse(report.Output)!["items"]!.AsArray();
        Assert.Equal(6, items.Count);
        foreach (var item in items)
        {
            var outputs = item!["outputs"]!.AsArray().ToDictionary(o => (string)o!["variant"]!, o => o!);
            Assert.Null((string?)outputs["served"]["error"]);
            Assert.NotNull((string?)outputs["engine"]["output"]);
            Assert.Equal((string?)outputs["engine"]["output"], (string?)outputs["served"]["output"]);
        }
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
