using System.Text.Json.Nodes;
using AdaptLab.Core.Store;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests.Training;

/// <summary>
/// The JSON-extraction task of stories260K's BEHAVIOUR.md (examples/pet-json): prompted, the base model writes no JSON
/// object; full fine-tuning and LoRA with the embedding and output layer (PEFT's modules_to_save) write valid ones on the
/// held-out items, and LoRA without them does not learn the closing brace.
/// </summary>
public sealed class JsonExtractionTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public async Task Full_fine_tuning_and_LoRA_with_modules_to_save_lift_valid_JSON_significantly_and_bare_LoRA_does_not()
    {
        var task = CopyExample();
        string[] train = ["finetune", task, "--variant", "zero-shot", "--steps", "150", "--json", "--store", dir.Path("runs.db")];
        string[] lora = ["--lr", "1e-2", "--lora-rank", "8", "--lora-alpha", "16"];

        var full = await AdaptLabCli.RunAsync([.. train, "--out", dir.Path("json", ".adaptlab", "full")]);
        var adapter = await AdaptLabCli.RunAsync([.. train, .. lora, "--modules-to-save", "embed_tokens,lm_head", "--out", dir.Path("json", ".adaptlab", "lora")]);
        var bare = await AdaptLabCli.RunAsync([.. train, .. lora, "--out", dir.Path("json", ".adaptlab", "lora-bare")]);
        // The merged copy the LoRA run writes beside its adapter is the same model, so it must answer the same.
        File.AppendAllText(task, "  - { name: lora-merged, model: merged, prompt: prompts/zero-shot.liquid }\n");
        File.WriteAllText(task, File.ReadAllText(task).Replace("models:\n", "models:\n  merged: { ref: \"local:.adaptlab/lora/merged\" }\n", StringComparison.Ordinal));
        var eval = await AdaptLabCli.RunAsync("eval", task, "--store", dir.Path("runs.db"));

        foreach (var result in new[] { full, adapter, bare, eval })
        {
            Assert.True(result.ExitCode == 0, result.ToString());
        }

        var adapterConfig = JsonNode.Parse(File.ReadAllText(dir.Path("json", ".adaptlab", "lora", "adapter_config.json")))!;
        Assert.Equal(["embed_tokens", "lm_head"], adapterConfig["modules_to_save"]!.AsArray().Select(m => (string)m!));
        var finalLoss = (CliResult r) => JsonNode.Parse(r.Output)!["losses"]!.AsArray()[^1]!.GetValue<double>();
        Assert.True(finalLoss(bare) > 5 * finalLoss(adapter), $"bare LoRA's loss {finalLoss(bare)} vs {finalLoss(adapter)} with modules_to_save");

        using var runs = RunStore.Open(dir.Path("runs.db"));
        var cards = runs.GetTrainedModels().ToDictionary(m => Path.GetFileName(m.Path));
        Assert.Equal(["full", "lora", "lora-bare"], cards.Keys.Order());
        var card = JsonNode.Parse(cards["lora"].Record)!;
        Assert.Equal("lora", (string)card["method"]!);
        Assert.Equal(8, (int)card["options"]!["lora"]!["rank"]!);
        Assert.Equal(150, card["losses"]!.AsArray().Count);
        Assert.Equal(cards["lora"].Identity, (string)card["identity"]!);
        Assert.Equal(File.ReadAllText(dir.Path("json", ".adaptlab", "lora", "training.json")), cards["lora"].Record);
        Assert.NotEqual(cards["lora"].Identity, cards["lora"].BaseIdentity);
        var run = runs.FindRun("latest")!;
        var valid = runs.GetMetricResults(run.Id).Where(r => r.Metric == "json_schema").ToDictionary(r => r.Variant);
        Assert.Equal(0, valid["zero-shot"].Value);
        Assert.Equal(0, valid["two-shot"].Value);
        foreach (var tuned in new[] { "full-ft", "lora" })
        {
            Assert.True(valid[tuned].Lower > valid["zero-shot"].Upper, $"{tuned}: {valid[tuned].Value} [{valid[tuned].Lower}, …] vs zero-shot […, {valid["zero-shot"].Upper}]");
            Assert.Contains($"{tuned} vs zero-shot: json_schema +", eval.Output, StringComparison.Ordinal);
        }

        Assert.True(valid["lora"].Lower > valid["lora-bare"].Upper, $"LoRA {valid["lora"].Value} vs bare {valid["lora-bare"].Value} [… {valid["lora-bare"].Upper}]");
        var fields = runs.GetMetricResults(run.Id).Where(r => r.Metric == "field_f1").ToDictionary(r => r.Variant);
        Assert.True(fields["lora"].Lower > fields["zero-shot"].Upper, $"field F1 {fields["lora"].Value} vs {fields["zero-shot"].Value}");
        Assert.Equal(Outputs(runs, run.Id, "lora"), Outputs(runs, run.Id, "lora-merged"));
    }

    [Fact]
    public async Task With_a_dev_split_the_tasks_metric_by_generation_picks_the_weights_kept()
    {
        var task = CopyExampleWithDev();

        var result = await AdaptLabCli.RunAsync("finetune", task, "--variant", "zero-shot", "--out", dir.Path("dev"), "--steps", "60",
            "--eval-every", "15", "--json", "--store", dir.Path("runs.db"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var record = JsonNode.Parse(result.Output)!;
        Assert.Equal("json_schema", (string)record["dev_metric"]!);
        var points = record["validation"]!.AsArray().Select(v => (Step: (int)v!["step"]!, Metric: (double)v["metric"]!)).ToList();
        Assert.Equal([15, 30, 45, 60], points.Select(p => p.Step));
        Assert.Equal(points.First(p => p.Metric == points.Max(q => q.Metric)).Step, (int)record["best_step"]!);
        Assert.True(points[0].Metric < points.Max(p => p.Metric), $"the dev metric never rose: {string.Join(", ", points)}");
        Assert.True(points.Max(p => p.Metric) >= 0.9, $"dev json_schema {points.Max(p => p.Metric)}: the generation was not scored as the eval scores it");
    }

    [Fact]
    public async Task LoRA_in_bfloat16_generates_its_dev_scores_and_writes_an_adapter_that_lifts_valid_JSON()
    {
        var task = CopyExampleWithDev();

        var tune = await AdaptLabCli.RunAsync("finetune", task, "--variant", "zero-shot", "--out", dir.Path("json", ".adaptlab", "lora"), "--steps", "150",
            "--lr", "1e-2", "--lora-rank", "8", "--lora-alpha", "16", "--modules-to-save", "embed_tokens,lm_head", "--bf16", "--eval-every", "75",
            "--json", "--store", dir.Path("runs.db"));
        var eval = await AdaptLabCli.RunAsync("eval", task, "--variant", "zero-shot", "--variant", "lora", "--store", dir.Path("runs.db"));

        Assert.True(tune.ExitCode == 0, tune.ToString());
        Assert.True(eval.ExitCode == 0, eval.ToString());
        var record = JsonNode.Parse(tune.Output)!;
        Assert.True(record["options"]!["bf16"]!.GetValue<bool>());
        Assert.All(record["validation"]!.AsArray(), v => Assert.NotNull(v!["metric"])); // generation in bfloat16 during training
        using var adapter = File.OpenRead(dir.Path("json", ".adaptlab", "lora", "adapter_model.safetensors"));
        Assert.Contains("\"BF16\"", new StreamReader(adapter).ReadLine(), StringComparison.Ordinal);
        using var runs = RunStore.Open(dir.Path("runs.db"));
        var valid = runs.GetMetricResults(runs.FindRun("latest")!.Id).Where(r => r.Metric == "json_schema").ToDictionary(r => r.Variant);
        Assert.True(valid["lora"].Lower > valid["zero-shot"].Upper, $"bf16 LoRA {valid["lora"].Value} vs zero-shot {valid["zero-shot"].Value}");
    }

    private static List<string?> Outputs(RunStore runs, string runId, string variant) =>
        [.. runs.GetPredictions(runId).Where(p => p.Variant == variant).OrderBy(p => p.ItemIndex).Select(p => p.Output)];

    /// <summary>The example with its last 40 train items as data.dev.</summary>
    private string CopyExampleWithDev()
    {
        var task = CopyExample();
        var lines = File.ReadAllLines(dir.Path("json", "train.jsonl"));
        File.WriteAllLines(dir.Path("json", "train.jsonl"), lines[..360]);
        File.WriteAllLines(dir.Path("json", "dev.jsonl"), lines[360..]);
        File.WriteAllText(task, File.ReadAllText(task).Replace("  train: train.jsonl\n", "  train: train.jsonl\n  dev: dev.jsonl\n", StringComparison.Ordinal));
        return task;
    }

    private string CopyExample() =>
        ExampleCopy.Into(dir, "json", "pet-json", "adaptlab.yaml", "train.jsonl", "test.jsonl", "pet.schema.json", "prompts/zero-shot.liquid", "prompts/two-shot.liquid");
}
