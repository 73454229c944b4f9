using System.Text.Json.Nodes;
using AdaptLab.Core.Items;
using AdaptLab.Core.Store;
using AdaptLab.Core.Tasks;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests;

/// <summary>
/// The shipped BANKING77 and Restaurant8k examples, run as a user runs them (the CLI as its own process,
/// the openai provider pointed at a loopback server through OPENAI_BASE_URL), on the real data.
/// </summary>
public class ExampleTasksTests
{
    [Fact]
    public async Task Banking77_example_evaluates_on_the_real_test_split()
    {
        var task = TaskFileLoader.Load(RepoPaths.Path("examples", "banking77", "adaptlab.yaml"));
        var truth = DatasetLoader.Load(task.Data.Test, task.Data).Items.ToDictionary(i => i.Input, i => i.Expected[0]);
        var answered = 0;
        await using var server = await FakeOpenAiServer.StartAsync(prompt =>
        {
            var message = prompt[(prompt.IndexOf("Message: ", StringComparison.Ordinal) + 9)..prompt.LastIndexOf("\nIntent:", StringComparison.Ordinal)];
            // Every tenth answer is wrong: accuracy 0.9 is what the report must say.
            return Interlocked.Increment(ref answered) % 10 == 0 ? "card_arrival_typo" : truth[message];
        });
        using var dir = new TempDir();

        var exit = await RunCliProcessAsync(server.Endpoint, "eval", task.SourcePath, "--store", dir.Path("runs.db"));

        Assert.Equal(0, exit);
        using var store = RunStore.Open(dir.Path("runs.db"));
        var run = store.FindRun("latest")!;
        Assert.Equal(154, run.ItemCount);
        var results = store.GetMetricResults(run.Id);
        var wrong = 2 * 154 / 10;
        Assert.Equal(1 - (wrong / (2.0 * 154)), results.Where(r => r.Metric == "accuracy").Average(r => r.Value), 12);
        Assert.All(results, r => Assert.Equal(154, r.N));
        Assert.Equal(2 * 154, server.Calls);
    }

    /// <remarks>
    /// The nearest variant embeds the 10,003 train messages with MiniLM first (about 25 s here). A copy in the test's
    /// folder: the embedding cache goes beside the task file, out of the checkout, so every run embeds them.
    /// </remarks>
    [Fact]
    public async Task Banking77_shots_example_runs_on_the_engine_and_the_html_report_shows_each_items_shots()
    {
        using var dir = new TempDir();
        var task = ExampleCopy.Into(dir, "banking77", "banking77-shots", "adaptlab.yaml", "prompts/shots.liquid");
        var store = dir.Path("runs.db");

        var eval = await AdaptLabCli.RunAsync("eval", task, "--store", store);
        var html = await AdaptLabCli.RunAsync("report", "latest", "--format", "html", "-o", dir.Path("report.html"), "--store", store);

        Assert.True(eval.ExitCode == 0, eval.ToString());
        Assert.True(html.ExitCode == 0, html.ToString());
        using var runs = RunStore.Open(store);
        var run = runs.FindRun("latest")!;
        Assert.Equal(77, run.ItemCount);
        var predictions = runs.GetPredictions(run.Id);
        Assert.Equal(4 * 77, predictions.Count(p => p.Error is null));
        Assert.All(predictions.Where(p => p.Variant != "zero-shot"), p => Assert.Equal(4, JsonNode.Parse(p.Context!)!["shots"]!.AsArray().Count));
        Assert.All(runs.GetMetricResults(run.Id), r => Assert.NotNull(r.Upper));
        Assert.Contains("invalid", eval.Output);
        var (dom, log) = await ReportTests.DumpDomAsync(dir.Path("report.html"), dir.Path("chromium-profile"));
        Assert.DoesNotContain(":CONSOLE", log, StringComparison.Ordinal);
        foreach (var p in predictions.Where(p => p.Variant != "zero-shot"))
        {
            Assert.Contains("shots: " + string.Join(", ", JsonNode.Parse(p.Context!)!["shots"]!.AsArray().Select(n => (string)n!)), dom);
        }

        Assert.Contains("steps: {", dom);
    }

    /// <remarks>Ingests and embeds SQuAD's 646 paragraphs as 96-token chunks first (about 20 s here).</remarks>
    [Fact]
    public async Task Squad_closed_book_vs_rag_on_the_engine_reports_answer_and_retrieval_metrics_side_by_side()
    {
        using var dir = new TempDir();
        var task = CopySquadRagExample(dir, yaml => yaml);

        var store = dir.Path("runs.db");
        var eval = await AdaptLabCli.RunAsync("eval", task, "--store", store);
        var html = await AdaptLabCli.RunAsync("report", "latest", "--format", "html", "-o", dir.Path("report.html"), "--store", store);

        Assert.True(eval.ExitCode == 0, eval.ToString());
        Assert.True(html.ExitCode == 0, html.ToString());
        using var runs = RunStore.Open(store);
        var run = runs.FindRun("latest")!;
        var results = runs.GetMetricResults(run.Id).ToDictionary(r => (r.Variant, r.Metric));
        Assert.True(results[("rag", "retrieval_recall")].Value > 0.7, $"recall {results[("rag", "retrieval_recall")].Value}");
        Assert.NotNull(results[("rag", "retrieval_recall")].Lower);
        Assert.False(results.ContainsKey(("closed-book", "retrieval_recall")));
        Assert.True(results.ContainsKey(("closed-book", "squad_f1")) && results.ContainsKey(("rag", "squad_f1")));
        var rag = runs.GetPredictions(run.Id).Where(p => p.Variant == "rag").ToList();
        Assert.All(rag, p =>
        {
            var context = JsonNode.Parse(p.Context!)!;
            Assert.StartsWith("idx-", (string)context["index"]!, StringComparison.Ordinal);
            Assert.Single(context["chunks"]!.AsArray());
        });
        Assert.Contains(runs.GetVariants(run.Id), v => v.Name == "rag" && v.Pipeline!.Contains("\"retrieve\"", StringComparison.Ordinal));
        var report = File.ReadAllText(dir.Path("report.html"));
        Assert.Contains("retrieval_recall", report, StringComparison.Ordinal);
        Assert.Contains("squad_f1", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_checks_a_rag_prompt_with_the_longest_chunks_before_and_after_ingest()
    {
        using var dir = new TempDir();
        // Three whole paragraphs cannot fit stories260K's 512 tokens; BM25 alone, so ingest embeds nothing.
        var task = CopySquadRagExample(dir, yaml => yaml
            .Replace("chunk_tokens: 96", "chunk_tokens: 256", StringComparison.Ordinal)
            .Replace("retrieve: { mode: hybrid, k: 1 }", "retrieve: { mode: bm25, k: 3 }", StringComparison.Ordinal));

        var before = await AdaptLabCli.RunAsync("validate", task);
        var ingest = await AdaptLabCli.RunAsync("ingest", task, "--json");
        var after = await AdaptLabCli.RunAsync("validate", task);

        // No index yet: validate chunks the corpus itself, so the overflow is found before anything is embedded.
        Assert.True(before.ExitCode == 2, before.ToString());
        Assert.Contains("512", before.Error, StringComparison.Ordinal);
        Assert.True(ingest.ExitCode == 0, ingest.ToString());
        Assert.True(JsonNode.Parse(ingest.Output)!["chunks"]!.GetValue<int>() > 646); // some paragraphs exceed 256 tokens
        Assert.True(after.ExitCode == 2, after.ToString());
        Assert.Contains("rag", after.Error, StringComparison.Ordinal);
        Assert.Contains("512", after.Error, StringComparison.Ordinal);
    }

    /// <summary>examples/squad/rag-local.yaml and its prompts in a scratch folder: the corpus index goes beside the task file, out of the checkout and away from parallel tests.</summary>
    private static string CopySquadRagExample(TempDir dir, Func<string, string> change)
    {
        var example = RepoPaths.Path("examples", "squad");
        foreach (var prompt in Directory.GetFiles(Path.Combine(example, "prompts")))
        {
            dir.Write("squad/prompts/" + Path.GetFileName(prompt), File.ReadAllText(prompt));
        }

        return dir.Write("squad/rag-local.yaml", change(File.ReadAllText(Path.Combine(example, "rag-local.yaml"))
            .Replace("../../../shared/datasets/", SharedData.Path("datasets") + "/", StringComparison.Ordinal)
            .Replace("../../../shared/models/", SharedData.Path("models") + "/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Restaurant8k_example_scores_extracted_slots()
    {
        var task = TaskFileLoader.Load(RepoPaths.Path("examples", "restaurant8k", "adaptlab.yaml"));
        var byInput = DatasetLoader.Load(task.Data.Test, task.Data).Items.GroupBy(i => i.Input).ToList();
        var truth = byInput.ToDictionary(g => g.Key, g => g.First().Expected[0]);
        // The same message is annotated differently in a few places; only those can score below 1.
        var ambiguous = byInput.Where(g => g.Select(i => i.Expected[0]).Distinct().Count() > 1).Select(g => g.Key).ToHashSet();
        await using var server = await FakeOpenAiServer.StartAsync(prompt =>
        {
            var message = prompt[(prompt.IndexOf("Message: ", StringComparison.Ordinal) + 9)..prompt.LastIndexOf("\nJSON:", StringComparison.Ordinal)];
            return "```json\n" + truth[message] + "\n```";
        });
        using var dir = new TempDir();

        var exit = await RunCliProcessAsync(server.Endpoint, "eval", task.SourcePath, "--store", dir.Path("runs.db"));

        using var store = RunStore.Open(dir.Path("runs.db"));
        var run = store.FindRun("latest")!;
        var results = store.GetMetricResults(run.Id).ToDictionary(r => r.Metric);
        Assert.Equal(0, exit);
        Assert.Equal(200, run.ItemCount);
        Assert.Equal(1.0, results["json_valid"].Value);
        var items = store.GetItems(run.Id).ToDictionary(i => i.Index);
        var fieldScores = store.GetScores(run.Id).Where(x => x.Metric == "field_f1").ToList();
        Assert.Equal(200, fieldScores.Count);
        Assert.All(fieldScores.Where(x => !ambiguous.Contains(items[x.ItemIndex].Input)), x => Assert.Equal(1.0, x.Value));
        var predictions = store.GetPredictions(run.Id);
        Assert.All(predictions, p => Assert.NotNull(JsonNode.Parse(p.Output![8..^4])));
    }

    private static async Task<int> RunCliProcessAsync(string endpoint, params string[] args)
    {
        using var child = CliProcess.Start(
            new Dictionary<string, string> { ["OPENAI_BASE_URL"] = endpoint, ["OPENAI_API_KEY"] = "test-key-not-a-secret" }, args);
        var exit = await child.WaitAsync();
        Assert.True(exit is 0 or 1, child.ToString());
        Assert.DoesNotContain("test-key-not-a-secret", child.Output + child.Errors);
        return exit;
    }
}
