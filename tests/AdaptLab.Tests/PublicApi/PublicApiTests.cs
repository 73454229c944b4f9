using AdaptLab.Tests.Support;
using Microsoft.Extensions.AI;

namespace AdaptLab.Tests.PublicApi;

/// <summary>
/// Core's public API as a C# caller uses it: only public types here (<see cref="PublicSurfaceTests"/> holds this namespace to
/// that). A small sentiment task runs against the caller's own <see cref="IChatClient"/>, whose answers fix every score.
/// </summary>
public class PublicApiTests
{
    private const int Items = 20;

    /// <summary>
    /// The caller's model: right on every item of the prompt that says "Careful", else wrong on every fifth item
    /// (0, 5, 10, 15: the next label instead).
    /// </summary>
    private static string Answer(string prompt)
    {
        var i = SentimentTask.ItemNumber(prompt);
        return prompt.StartsWith("Careful", StringComparison.Ordinal) || i % 5 != 0 ? SentimentTask.Label(i) : SentimentTask.Labels[(i + 1) % 3];
    }

    private static string WriteTask(TempDir dir, string targets)
    {
        SentimentTask.WriteData(dir, Items);
        dir.Write("prompts/zero-shot.liquid", "Labels: {{ labels | join: \", \" }}\nText: {{ input }}\nLabel:");
        dir.Write("prompts/careful.liquid", "Careful now.\nLabels: {{ labels | join: \", \" }}\nText: {{ input }}\nLabel:");
        return dir.Write("adaptlab.yaml", $"""
            name: sentiment
            task: classification
            data:
              test: data/test.csv
              fields: {"{"} input: text, expected: label {"}"}
            metrics: [accuracy, macro_f1]
            targets:
            {targets}
            models:
              gpt: {"{"} ref: "openai:gpt-4o-mini" {"}"}
            defaults: {"{"} model: gpt, temperature: 0, max_tokens: 8 {"}"}
            variants:
              - name: zero-shot
                prompt: prompts/zero-shot.liquid
              - name: careful
                prompt: prompts/careful.liquid
            """);
    }

    /// <summary>Accuracy and macro-F1 of the caller's answers on the items, computed here from the answers alone.</summary>
    private static (double Accuracy, double MacroF1) Expected(string promptStart)
    {
        var pairs = Enumerable.Range(0, Items)
            .Select(i => (Gold: SentimentTask.Label(i), Answer: Answer($"{promptStart}\nText: {SentimentTask.Message(i)}\nLabel:")))
            .ToList();
        var f1 = SentimentTask.Labels.Select(label =>
        {
            var tp = pairs.Count(p => p.Gold == label && p.Answer == label);
            var fp = pairs.Count(p => p.Gold != label && p.Answer == label);
            var fn = pairs.Count(p => p.Gold == label && p.Answer != label);
            return 2.0 * tp / ((2 * tp) + fp + fn);
        });
        return ((double)pairs.Count(p => p.Gold == p.Answer) / Items, f1.Average());
    }

    [Fact]
    public async Task A_task_file_runs_on_the_callers_client_and_reports_scores_gates_and_comparisons()
    {
        using var dir = new TempDir();
        // macro_f1 0.95 is the positive control: zero-shot (0.80) must miss it, careful (1.0) must meet it.
        var taskFile = WriteTask(dir, "  accuracy: 0.7\n  macro_f1: 0.95\n  max_error_rate: 0");
        using var client = new UserChatClient(Answer);

        var run = await AdaptLabEval.RunAsync(taskFile, new EvalRunOptions
        {
            StorePath = dir.Path("runs.db"),
            ChatClients = new Dictionary<string, IChatClient> { ["gpt"] = client },
        });

        Assert.Equal(2 * Items, client.Calls);
        Assert.False(client.Disposed);
        Assert.Equal("sentiment", run.TaskName);
        Assert.Equal(dir.Path("runs.db"), run.StorePath);
        Assert.True(run.IsCompleted);
        Assert.Equal(["zero-shot", "careful"], run.Variants.Keys);

        var (accuracy, macroF1) = Expected("Labels: negative, neutral, positive");
        Assert.Equal(0.8, accuracy, 12);
        var zeroShot = run.Variants["zero-shot"];
        Assert.Equal("openai:gpt-4o-mini", zeroShot.Model);
        Assert.Equal((Items, Items, 0), (zeroShot.Items, zeroShot.Answered, zeroShot.Errors));
        Assert.Null(zeroShot.FirstError);
        Assert.Equal(["accuracy", "macro_f1"], zeroShot.Metrics.Keys);
        var zeroShotAccuracy = zeroShot.Metrics["accuracy"];
        Assert.Equal(accuracy, zeroShotAccuracy.Value, 12);
        Assert.Equal((Items, 1.0), (zeroShotAccuracy.N, zeroShotAccuracy.FullScale));
        Assert.True(zeroShotAccuracy.Lower < accuracy && accuracy < zeroShotAccuracy.Upper, zeroShotAccuracy.ToString());
        Assert.Equal(macroF1, zeroShot.Metrics["macro_f1"].Value, 12);

        var careful = run.Variants["careful"];
        Assert.Equal(Expected("Careful now.\nLabels: negative, neutral, positive"), (careful.Metrics["accuracy"].Value, careful.Metrics["macro_f1"].Value));
        Assert.Equal(1.0, careful.Metrics["accuracy"].Value);

        Assert.Equal(
            [
                ("zero-shot", "accuracy", 0.7, false, true), ("zero-shot", "macro_f1", 0.95, false, false), ("zero-shot", "error_rate", 0.0, true, true),
                ("careful", "accuracy", 0.7, false, true), ("careful", "macro_f1", 0.95, false, true), ("careful", "error_rate", 0.0, true, true),
            ],
            run.Gates.Select(g => (g.Variant, g.Name, g.Target, g.AtMost, g.Passed)));
        Assert.Equal(macroF1, run.Gates[1].Actual!.Value, 12);
        Assert.False(run.AllGatesPassed);

        var lift = Assert.Single(run.Comparisons, c => c.Metric == "accuracy");
        Assert.Equal(("zero-shot", "careful", Items), (lift.Baseline, lift.Variant, lift.N));
        Assert.Equal(1.0 - accuracy, lift.Difference, 12);
        Assert.True(lift.Lower <= lift.Difference && lift.Difference <= lift.Upper, lift.ToString());
        Assert.InRange(lift.AdjustedPValue, lift.PValue, 1.0);
    }

    [Fact]
    public async Task A_loaded_task_runs_a_subset_of_its_variants_from_the_cache_or_from_the_client()
    {
        using var dir = new TempDir();
        var task = AdaptLabTask.Load(WriteTask(dir, "  accuracy: 0.7"));
        using var client = new UserChatClient(Answer);
        var options = new EvalRunOptions { StorePath = dir.Path("runs.db"), ChatClients = new Dictionary<string, IChatClient> { ["gpt"] = client } };
        Assert.Equal(("sentiment", dir.Path("adaptlab.yaml")), (task.Name, task.FilePath));
        Assert.Equal(["zero-shot", "careful"], task.Variants);
        Assert.Equal(["gpt"], task.Models);

        var first = await AdaptLabEval.RunAsync(task, options);
        var again = await AdaptLabEval.RunAsync(task, options with { Variants = ["careful"] });
        Assert.Equal(2 * Items, client.Calls);
        var uncached = await AdaptLabEval.RunAsync(task, options with { Variants = ["careful"], UseCache = false });

        Assert.Equal(3 * Items, client.Calls);
        Assert.Equal(3, new[] { first.RunId, again.RunId, uncached.RunId }.Distinct().Count());
        Assert.Equal(["careful"], again.Variants.Keys);
        Assert.Equal(1.0, again.Variants["careful"].Metrics["accuracy"].Value);
        Assert.Equal(1.0, uncached.Variants["careful"].Metrics["accuracy"].Value);
        Assert.True(first.AllGatesPassed);
        Assert.Empty(again.Comparisons);
    }

    [Fact]
    public async Task A_bad_task_file_throws_InputException_naming_the_file_line_and_field()
    {
        using var dir = new TempDir();
        var taskFile = WriteTask(dir, "  accuracy: 0.7");
        File.WriteAllText(taskFile, File.ReadAllText(taskFile).Replace("prompts/careful.liquid", "prompts/missing.liquid", StringComparison.Ordinal));
        var line = File.ReadAllLines(taskFile).ToList().FindIndex(l => l.Contains("missing.liquid", StringComparison.Ordinal)) + 1;

        var e = await Assert.ThrowsAsync<InputException>(() => AdaptLabEval.RunAsync(taskFile, new EvalRunOptions { StorePath = dir.Path("runs.db") }));

        Assert.Equal((taskFile, line, "variants[1].prompt"), (e.File, e.Line, e.Field));
        Assert.StartsWith($"{taskFile}:{line}: variants[1].prompt: prompt file not found: ", e.Message);
        Assert.Equal(e.Message, Assert.Throws<InputException>(() => AdaptLabTask.Load(taskFile)).Message);
        Assert.False(File.Exists(dir.Path("runs.db")), "bad input opens no store");
    }

    [Fact]
    public async Task A_variant_or_model_the_task_lacks_is_bad_input_naming_the_task_file()
    {
        using var dir = new TempDir();
        var task = AdaptLabTask.Load(WriteTask(dir, "  accuracy: 0.7"));
        using var client = new UserChatClient(Answer);
        var options = new EvalRunOptions { StorePath = dir.Path("runs.db") };

        var variant = await Assert.ThrowsAsync<InputException>(() => AdaptLabEval.RunAsync(task, options with { Variants = ["few-shot"] }));
        var model = await Assert.ThrowsAsync<InputException>(() =>
            AdaptLabEval.RunAsync(task, options with { ChatClients = new Dictionary<string, IChatClient> { ["gpt-4o"] = client } }));

        Assert.Equal((task.FilePath, "variants"), (variant.File, variant.Field));
        Assert.Contains("no variant 'few-shot' (variants: zero-shot, careful)", variant.Message, StringComparison.Ordinal);
        Assert.Equal((task.FilePath, "models"), (model.File, model.Field));
        Assert.Contains("no model 'gpt-4o' to supply a client for (models: gpt)", model.Message, StringComparison.Ordinal);
        Assert.Equal(0, client.Calls);
    }

    [Fact]
    public async Task The_readme_example_runs()
    {
        using var dir = new TempDir();
        var taskFile = WriteTask(dir, "  accuracy: 0.7\n  max_error_rate: 0");
        var storePath = dir.Path("runs.db");
        using var client = new UserChatClient(Answer);

        // README begin
        var run = await AdaptLabEval.RunAsync(taskFile, new EvalRunOptions
        {
            ChatClients = new Dictionary<string, IChatClient> { ["gpt"] = client }, // answers the task file's model `gpt`
            StorePath = storePath,                                                   // default: .adaptlab/adaptlab.db
        });

        var accuracy = run.Variants["careful"].Metrics["accuracy"];                 // 0-1, the targets' scale
        Assert.True(accuracy.Lower > 0.8, $"accuracy {accuracy.Value:P0}, 95% CI [{accuracy.Lower:P0}, {accuracy.Upper:P0}]");
        Assert.True(run.AllGatesPassed, string.Join("; ", run.Gates.Where(g => !g.Passed)));
        // README end
    }
}
