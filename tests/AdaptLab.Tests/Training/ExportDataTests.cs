using System.Text.Json.Nodes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests.Training;

/// <summary>Training data for external trainers carries the eval's own prompts: pet-names' fact-in-context prompt is "{{ fact }} {{ input }}".</summary>
public sealed class ExportDataTests : IDisposable
{
    private readonly TempDir dir = new();

    private async Task<List<JsonNode>> ExportAsync(string format)
    {
        var result = await AdaptLabCli.RunAsync("export-data", RepoPaths.Path("examples", "pet-names", "finetune.yaml"), "--variant", "fact-in-context",
            "--format", format, "--out", dir.Path(format));
        Assert.True(result.ExitCode == 0, result.ToString());
        return [.. File.ReadAllLines(dir.Path(format, "pet-names-finetune-train.jsonl")).Select(l => JsonNode.Parse(l)!)];
    }

    private static List<(string Prompt, string Answer)> Expected() =>
        [.. File.ReadAllLines(RepoPaths.Path("examples", "pet-names", "train.jsonl")).Select(l => JsonNode.Parse(l)!)
            .Select(r => ($"{(string)r["fact"]!} {(string)r["question"]!}", (string)r["answer"]!))];

    [Fact]
    public async Task Openai_trl_axolotl_and_llamafactory_files_hold_the_rendered_prompts_and_the_answers()
    {
        var expected = Expected();

        var openai = await ExportAsync("openai");
        var trl = await ExportAsync("trl");
        var axolotl = await ExportAsync("axolotl");
        var factory = await ExportAsync("llamafactory");

        Assert.Equal(expected, openai.Select(l => ((string)l["messages"]![0]!["content"]!, (string)l["messages"]![1]!["content"]!)));
        Assert.All(openai, l => Assert.Equal(["user", "assistant"], l["messages"]!.AsArray().Select(m => (string)m!["role"]!)));
        Assert.Equal(expected, trl.Select(l => ((string)l["prompt"]![0]!["content"]!, (string)l["completion"]![0]!["content"]!)));
        Assert.Equal(openai.Select(l => l.ToJsonString()), axolotl.Select(l => l.ToJsonString()));
        Assert.Contains("roles_to_train: [\"assistant\"]", File.ReadAllText(dir.Path("axolotl", "axolotl.yaml")), StringComparison.Ordinal);
        Assert.Equal(expected, factory.Select(l => ((string)l["conversations"]![0]!["value"]!, (string)l["conversations"]![1]!["value"]!)));
        var info = JsonNode.Parse(File.ReadAllText(dir.Path("llamafactory", "dataset_info.json")))!["adaptlab"]!;
        Assert.Equal("pet-names-finetune-train.jsonl", (string)info["file_name"]!);
        Assert.Equal("sharegpt", (string)info["formatting"]!);
    }

    [Fact]
    public async Task A_split_the_task_lacks_is_an_input_error()
    {
        var result = await AdaptLabCli.RunAsync("export-data", RepoPaths.Path("examples", "pet-names", "finetune.yaml"), "--variant", "fact-in-context",
            "--format", "openai", "--split", "dev", "--out", dir.Path("x"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("data.dev", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rag_variant_is_rendered_for_training_with_what_the_eval_retrieves()
    {
        var task = ExampleCopy.Into(dir, "pet-names", "pet-names", "ladder.yaml", "facts.jsonl", "train.jsonl", "prompts/closed-book.liquid", "prompts/rag.liquid",
            "prompts/fact-in-context.liquid");
        var eval = await AdaptLabCli.RunAsync("eval", task, "--variant", "rag", "--store", dir.Path("runs.db"));
        Assert.True(eval.ExitCode == 0, eval.ToString());
        var test = await AdaptLabCli.RunAsync("export-data", task, "--variant", "rag", "--split", "test", "--format", "openai", "--out", dir.Path("test"));
        var train = await AdaptLabCli.RunAsync("export-data", task, "--variant", "rag", "--format", "openai", "--out", dir.Path("train"));
        Assert.True(test.ExitCode == 0 && train.ExitCode == 0, test.ToString() + train);

        // The eval's prompt per item, from what it stored: the retrieved chunks' texts, then the question (prompts/rag.liquid).
        using var store = AdaptLab.Core.Store.RunStore.Open(dir.Path("runs.db"));
        var run = store.FindRun("latest")!;
        var questions = store.GetItems(run.Id).ToDictionary(i => i.Index, i => i.Input);
        var evalPrompts = store.GetPredictions(run.Id).OrderBy(p => p.ItemIndex)
            .Select(p => string.Concat(JsonNode.Parse(p.Context!)!["chunks"]!.AsArray().Select(c => (string)c!["text"]! + " ")) + questions[p.ItemIndex]).ToList();
        var exported = File.ReadAllLines(dir.Path("test", "pet-names-ladder-test.jsonl")).Select(l => (string)JsonNode.Parse(l)!["messages"]![0]!["content"]!).ToList();
        Assert.Equal(evalPrompts, exported);
        Assert.All(exported, p => Assert.Contains(" named ", p, StringComparison.Ordinal));

        // Train items retrieve too: each prompt holds a fact before its question.
        var trained = File.ReadAllLines(dir.Path("train", "pet-names-ladder-train.jsonl")).Select(l => (string)JsonNode.Parse(l)!["messages"]![0]!["content"]!).ToList();
        Assert.Equal(File.ReadAllLines(RepoPaths.Path("examples", "pet-names", "train.jsonl")).Length, trained.Count);
        Assert.All(trained, p => Assert.Matches(@"^\w+ had a \w+ named \w+\. ", p));
    }

    public void Dispose() => dir.Dispose();
}
