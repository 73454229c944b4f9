using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AdaptLab.Core.Store;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests.Training;

/// <summary>
/// The pet-names knowledge task fine-tuned on the in-process engine (examples/pet-names/finetune.yaml): 400 facts with
/// child names the test never uses, 60 full fine-tuning steps, then the 48 test facts in context.
/// </summary>
public sealed class FinetuneTests : IDisposable
{
    private readonly TempDir dir = new();

    private string CopyExample() =>
        ExampleCopy.Into(dir, "pets", "pet-names", "finetune.yaml", "train.jsonl", "facts.jsonl", "prompts/fact-in-context.liquid");

    [Fact]
    public async Task Fine_tuning_on_other_facts_lifts_the_fact_in_context_significantly_and_records_how()
    {
        var task = CopyExample();
        var store = dir.Path("runs.db");

        var tune = await AdaptLabCli.RunAsync("finetune", task, "--store", dir.Path("ft.db"), "--variant", "fact-in-context", "--out", dir.Path("pets", ".adaptlab", "pets-ft"), "--json");
        var eval = await AdaptLabCli.RunAsync("eval", task, "--store", store);

        Assert.True(tune.ExitCode == 0, tune.ToString());
        Assert.True(eval.ExitCode == 0, eval.ToString());
        var record = JsonNode.Parse(File.ReadAllText(dir.Path("pets", ".adaptlab", "pets-ft", "training.json")))!;
        var losses = record["losses"]!.AsArray().Select(l => l!.GetValue<double>()).ToList();
        Assert.Equal(60, losses.Count);
        Assert.True(losses[^1] < losses[0] / 10, $"loss {losses[0]} → {losses[^1]}");
        Assert.Equal(400, record["examples"]!.GetValue<int>());
        Assert.NotEqual((string)record["base_identity"]!, (string)record["identity"]!);
        Assert.Equal("ready", (string)record["readiness"]!);

        using var runs = RunStore.Open(store);
        var run = runs.FindRun("latest")!;
        var results = runs.GetMetricResults(run.Id).ToDictionary(r => r.Variant);
        Assert.True(results["tuned-fact-in-context"].Lower > results["fact-in-context"].Upper,
            $"tuned {results["tuned-fact-in-context"].Value} [{results["tuned-fact-in-context"].Lower}, …] vs {results["fact-in-context"].Value} [… {results["fact-in-context"].Upper}]");
        Assert.Contains("tuned-fact-in-context vs fact-in-context", eval.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_seed_trains_the_same_weights_and_another_seed_other_ones()
    {
        var task = CopyExample();
        string Train(string name) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(dir.Path(name, "stories260K.bin"))));

        foreach (var (name, seed) in new[] { ("a", "1"), ("b", "1"), ("c", "2") })
        {
            var result = await AdaptLabCli.RunAsync("finetune", task, "--store", dir.Path("ft.db"), "--variant", "fact-in-context", "--out", dir.Path(name), "--steps", "5", "--seed", seed);
            Assert.True(result.ExitCode == 0, result.ToString());
        }

        Assert.Equal(Train("a"), Train("b"));
        Assert.NotEqual(Train("a"), Train("c"));
    }

    [Fact]
    public async Task A_killed_training_process_resumes_from_its_checkpoint_and_ends_with_the_uninterrupted_loss()
    {
        var task = CopyExample();
        string[] args = ["finetune", task, "--store", dir.Path("ft.db"), "--variant", "fact-in-context", "--steps", "400", "--batch", "8", "--checkpoint-every", "10", "--json"];

        var whole = await AdaptLabCli.RunAsync([.. args, "--out", dir.Path("whole")]);
        using (var child = CliProcess.Start(null, [.. args, "--out", dir.Path("killed")]))
        {
            var state = dir.Path("killed", "checkpoint", "state.json");
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (CheckpointStep(state) < 100)
            {
                Assert.True(DateTime.UtcNow < deadline && !child.Process.HasExited, "no checkpoint at step 100 within 120 s: " + child.Errors);
                await Task.Delay(20);
            }

            child.Process.Kill(entireProcessTree: true);
            Assert.NotEqual(0, await child.WaitAsync());
        }

        Assert.False(File.Exists(dir.Path("killed", "training.json")));
        var resumed = await AdaptLabCli.RunAsync([.. args, "--out", dir.Path("killed"), "--resume"]);

        Assert.True(whole.ExitCode == 0, whole.ToString());
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var a = JsonNode.Parse(whole.Output)!["losses"]!.AsArray().Select(l => l!.GetValue<double>()).ToList();
        var b = JsonNode.Parse(resumed.Output)!["losses"]!.AsArray().Select(l => l!.GetValue<double>()).ToList();
        Assert.Equal(400, b.Count);
        Assert.Equal(a[^1], b[^1], 6);
        Assert.Equal(a, b);
        Assert.False(Directory.Exists(dir.Path("killed", "checkpoint")));

        var again = await AdaptLabCli.RunAsync([.. args, "--out", dir.Path("killed"), "--resume"]);
        Assert.Equal(2, again.ExitCode); // the finished run left no checkpoint
        Assert.Contains("nothing to resume", again.Error, StringComparison.Ordinal);
    }

    /// <summary>The step of the checkpoint at <paramref name="state"/>, or 0 while there is none (it is replaced as a whole, so it can vanish between looks).</summary>
    private static int CheckpointStep(string state)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(state))!["State"]!["Step"]!.GetValue<int>();
        }
        catch (IOException)
        {
            return 0;
        }
    }

    [Fact]
    public async Task A_dev_split_picks_the_weights_kept_and_stops_training_when_its_loss_stops_falling()
    {
        var task = CopyExample();
        var lines = File.ReadAllLines(dir.Path("pets", "train.jsonl"));
        File.WriteAllLines(dir.Path("pets", "train.jsonl"), lines[..340]);
        // Dev answers taken from the next fact: the better the model copies the name from its fact, the worse it does on
        // them, so their loss falls while the format is learnt and then rises, and early stopping must act.
        var dev = lines[340..].Select(l => JsonNode.Parse(l)!).ToList();
        File.WriteAllLines(dir.Path("pets", "dev.jsonl"), dev.Select((d, i) =>
        {
            d["answer"] = (string)dev[(i + 1) % dev.Count]["answer"]!;
            return d.ToJsonString();
        }));
        File.WriteAllText(task, File.ReadAllText(task).Replace("  train: train.jsonl\n", "  train: train.jsonl\n  dev: dev.jsonl\n", StringComparison.Ordinal));

        var result = await AdaptLabCli.RunAsync("finetune", task, "--store", dir.Path("ft.db"), "--variant", "fact-in-context", "--out", dir.Path("dev"), "--steps", "200",
            "--batch", "8", "--accumulate", "2", "--lr", "3e-3", "--eval-every", "10", "--patience", "3", "--select-by", "loss", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var record = JsonNode.Parse(result.Output)!;
        var validation = record["validation"]!.AsArray().Select(v => (Step: v!["step"]!.GetValue<int>(), Loss: v["loss"]!.GetValue<double>())).ToList();
        var steps = record["losses"]!.AsArray().Count;
        var best = record["best_step"]!.GetValue<int>();
        Assert.Equal(validation.MinBy(v => v.Loss).Step, best);
        Assert.True(steps < 200, $"trained all {steps} steps: the dev loss kept falling ({string.Join(", ", validation)})");
        Assert.Equal(3, validation.Count(v => v.Step > best));
        Assert.Equal(steps, validation[^1].Step);
        Assert.All(validation.Where(v => v.Step > best), v => Assert.True(v.Loss >= validation.Min(x => x.Loss)));
    }

    [Fact]
    public async Task A_remote_model_or_a_task_without_train_data_is_an_input_error()
    {
        var task = CopyExample();
        File.WriteAllText(task, File.ReadAllText(task).Replace("  train: train.jsonl\n", string.Empty, StringComparison.Ordinal)
            + "  - { name: remote, model: \"openai:gpt-4o-mini\", prompt: prompts/fact-in-context.liquid }\n");

        var noTrain = await AdaptLabCli.RunAsync("finetune", task, "--store", dir.Path("ft.db"), "--variant", "fact-in-context", "--out", dir.Path("x"));

        Assert.Equal(2, noTrain.ExitCode);
        Assert.Contains("data.train", noTrain.Error, StringComparison.Ordinal);
    }

    public void Dispose() => dir.Dispose();
}
