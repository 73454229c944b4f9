using System.Text.Json;
using System.Text.Json.Nodes;
using AdaptLab.Core.Store;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests;

public class CliTests
{
    [Fact]
    public async Task Init_scaffolds_a_task_that_validates()
    {
        using var dir = new TempDir();
        var data = dir.Write("tickets.jsonl", "{\"text\": \"refund please\", \"label\": \"refund\"}\n{\"text\": \"card lost\", \"label\": \"card\"}\n");

        var init = await AdaptLabCli.RunAsync("init", data, "-o", dir.Path("adaptlab.yaml"));
        var validate = await AdaptLabCli.RunAsync("validate", dir.Path("adaptlab.yaml"), "--json");
        var again = await AdaptLabCli.RunAsync("init", data, "-o", dir.Path("adaptlab.yaml"));

        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.True(validate.ExitCode == 0, validate.ToString());
        using var doc = JsonDocument.Parse(validate.Output);
        Assert.Equal(2, doc.RootElement.GetProperty("labels").GetInt32());
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("never overwrites", again.Error);
    }

    [Fact]
    public async Task Init_reads_a_json_file_of_json_lines_and_says_so_in_the_task_file()
    {
        using var dir = new TempDir();
        var data = dir.Write("intents.json", "{\"text\": \"refund please\", \"intent\": \"refund\"}\n{\"text\": \"card lost\", \"intent\": \"card\"}\n");

        var init = await AdaptLabCli.RunAsync("init", data, "-o", dir.Path("adaptlab.yaml"));
        var validate = await AdaptLabCli.RunAsync("validate", dir.Path("adaptlab.yaml"));

        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.True(validate.ExitCode == 0, validate.ToString());
        Assert.Contains("format: jsonl", File.ReadAllText(dir.Path("adaptlab.yaml")));
        // The control: a JSON array stays json, with no format line.
        var array = dir.Write("array/intents.json", "[{\"text\": \"refund please\", \"intent\": \"refund\"},\n {\"text\": \"card lost\", \"intent\": \"card\"}]\n");
        Assert.Equal(0, (await AdaptLabCli.RunAsync("init", array, "-o", dir.Path("array", "adaptlab.yaml"))).ExitCode);
        Assert.DoesNotContain("format:", File.ReadAllText(dir.Path("array", "adaptlab.yaml")));
    }

    [Theory]
    [InlineData("{\"task_id\": \"t/0\", \"prompt\": \"def f():\\n\", \"canonical_solution\": \"    return 1\\n\", \"test\": \"def check(c):\\n    assert c() == 1\\n\", \"entry_point\": \"f\"}",
        "extra: { prompt: prompt, test: test, entry_point: entry_point }", "metrics: [pass_at_1]")]
    [InlineData("{\"task_id\": 1, \"text\": \"Return one.\", \"code\": \"def f():\\n    return 1\\n\", \"test_list\": [\"assert f() == 1\"], \"test_setup_code\": \"\"}",
        "extra: { tests: test_list, setup: test_setup_code }", "metrics: [{ name: pass_at_1, test_format: asserts }]")]
    public async Task Init_for_code_maps_the_tests_and_scores_by_running_them(string record, string extra, string metrics)
    {
        using var dir = new TempDir();
        var data = dir.Write("code.jsonl", record + "\n");

        var init = await AdaptLabCli.RunAsync("init", data, "--task", "code", "-o", dir.Path("adaptlab.yaml"));
        var validate = await AdaptLabCli.RunAsync("validate", dir.Path("adaptlab.yaml"));

        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.True(validate.ExitCode == 0, validate.ToString());
        var task = File.ReadAllText(dir.Path("adaptlab.yaml"));
        Assert.Contains(extra, task);
        Assert.Contains(metrics, task);
        Assert.Contains("max_tokens: 512", task);
    }

    [Fact]
    public async Task Init_names_the_prompt_file_when_it_is_the_file_that_exists()
    {
        using var dir = new TempDir();
        var data = dir.Write("tickets.jsonl", "{\"text\": \"refund please\", \"label\": \"refund\"}\n");
        dir.Write("prompts/zero-shot.liquid", "mine");

        var init = await AdaptLabCli.RunAsync("init", data, "-o", dir.Path("other.yaml"));

        Assert.Equal(2, init.ExitCode);
        Assert.Contains("zero-shot.liquid: already exists", init.Error);
        Assert.Contains("writes the first prompt beside the task file", init.Error);
        Assert.Equal("mine", File.ReadAllText(dir.Path("prompts", "zero-shot.liquid")));
    }

    [Theory]
    [InlineData("validate", "missing.yaml")]
    [InlineData("show", "no-such-run")]
    [InlineData("report", "latest", "--format", "pdf")]
    [InlineData("eval")]
    public async Task Bad_input_exits_2_with_a_message_and_no_stack_trace(params string[] args)
    {
        using var dir = new TempDir();

        var result = await AdaptLabCli.RunAsync([.. args, "--store", dir.Path("runs.db")]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("error: ", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public async Task A_malformed_dataset_line_is_reported_and_nothing_is_stored()
    {
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, "http://127.0.0.1:9/v1", items: 3);
        File.AppendAllText(dir.Path("data", "test.csv"), "\"broken,negative\n");

        var result = await AdaptLabCli.RunAsync("eval", task, "--store", dir.Path("runs.db"));
        var runs = await AdaptLabCli.RunAsync("runs", "--json", "--store", dir.Path("runs.db"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("test.csv:5", result.Error);
        Assert.Equal("[]", runs.Output.Trim());
    }

    [Fact]
    public async Task A_missing_api_key_is_bad_input_and_leaves_no_run()
    {
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, "unused", items: 3);
        File.WriteAllText(task, File.ReadAllText(task).Replace(
            "ref: \"openai-compatible:fake-model\", endpoint: \"unused\"",
            "ref: \"openai:gpt-4o-mini\", api_key_env: \"ADAPTLAB_TEST_KEY_THAT_IS_NEVER_SET\"",
            StringComparison.Ordinal));

        var result = await AdaptLabCli.RunAsync("eval", task, "--store", dir.Path("runs.db"));
        var runs = await AdaptLabCli.RunAsync("runs", "--json", "--store", dir.Path("runs.db"));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("ADAPTLAB_TEST_KEY_THAT_IS_NEVER_SET", result.Error);
        Assert.Equal("[]", runs.Output.Trim());
    }

    [Fact]
    public async Task Runs_show_and_compare_find_a_regression()
    {
        await using var good = await FakeOpenAiServer.StartAsync(SentimentTask.Model(wrongEvery: 10));
        await using var bad = await FakeOpenAiServer.StartAsync(SentimentTask.Model(wrongEvery: 2));
        using var dirA = new TempDir();
        using var dirB = new TempDir();
        var store = dirA.Path("runs.db");
        Assert.Equal(0, (await AdaptLabCli.RunAsync("eval", SentimentTask.WriteTask(dirA, good.Endpoint, 120), "--store", store)).ExitCode);
        Assert.Equal(1, (await AdaptLabCli.RunAsync("eval", SentimentTask.WriteTask(dirB, bad.Endpoint, 120), "--store", store)).ExitCode);

        var runs = await AdaptLabCli.RunAsync("runs", "--json", "--store", store);
        var ids = JsonDocument.Parse(runs.Output).RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();
        var show = await AdaptLabCli.RunAsync("show", ids[0], "--store", store);
        var compare = await AdaptLabCli.RunAsync("compare", ids[1], ids[0], "--store", store);
        var same = await AdaptLabCli.RunAsync("compare", ids[1], ids[1], "--json", "--store", store);

        Assert.Equal(2, ids.Count);
        Assert.Contains("zero-shot", show.Output);
        Assert.True(compare.ExitCode == 1, compare.ToString());
        Assert.Contains("regression", compare.Output);
        // On the 0-100 scale of every report: 90 against 50, -40 points (not -0.4).
        Assert.Contains("-40 [", compare.Output);
        Assert.Contains("0-100 scale", compare.Output);
        Assert.Equal(0, same.ExitCode);
        var row = JsonDocument.Parse(same.Output).RootElement.GetProperty("rows")[0];
        Assert.Equal(0, row.GetProperty("difference").GetDouble());
    }

    [Theory]
    [InlineData(1, 4)] // the first variant is wrong on every item: baseline 0
    [InlineData(0, 4)] // the first variant is right on every item: baseline 1
    public async Task Plan_from_a_pilot_with_a_baseline_of_0_or_1_plans_or_says_why_not(int firstWrongEvery, int otherWrongEvery)
    {
        var alwaysWrong = SentimentTask.Model(wrongEvery: 1);
        Func<string, string> first = firstWrongEvery == 0
            ? p => SentimentTask.Labels[(Array.IndexOf(SentimentTask.Labels, alwaysWrong(p)) + 2) % 3]
            : SentimentTask.Model(wrongEvery: firstWrongEvery);
        var other = SentimentTask.Model(wrongEvery: otherWrongEvery);
        await using var server = await FakeOpenAiServer.StartAsync(p => p.StartsWith("Labels", StringComparison.Ordinal) ? first(p) : other(p));
        using var dir = new TempDir();
        dir.Write("prompts/other.liquid", "{{ input }}\nLabel:");
        var task = SentimentTask.WriteTask(dir, server.Endpoint, 40, extraVariant: """
              - name: other
                prompt: prompts/other.liquid
            """);
        File.WriteAllText(task, File.ReadAllText(task).Replace("  accuracy: 0.75\n", string.Empty, StringComparison.Ordinal));
        var store = dir.Path("runs.db");
        var eval = await AdaptLabCli.RunAsync("eval", task, "--store", store);
        Assert.True(eval.ExitCode == 0, eval.ToString());

        var plan = await AdaptLabCli.RunAsync("plan", "--from", "latest", "--n", "200", "--json", "--store", store);

        if (firstWrongEvery == 1)
        {
            Assert.True(plan.ExitCode == 0, plan.ToString());
            using var json = JsonDocument.Parse(plan.Output);
            Assert.Equal(0, json.RootElement.GetProperty("baseline").GetDouble());
            // Wrong on everything against wrong on every fourth: they disagree on three items in four.
            Assert.Equal(0.75, json.RootElement.GetProperty("discordance").GetDouble(), 12);
            Assert.Equal(AdaptLab.Metrics.Statistics.PowerAnalysis.PairedBinaryMinimumEffect(0.75, 200).Effect, json.RootElement.GetProperty("effect").GetDouble(), 12);
        }
        else
        {
            Assert.True(plan.ExitCode == 2, plan.ToString());
            Assert.Contains("the baseline is already 1", plan.Error);
        }
    }

    [Fact]
    public async Task Plan_takes_baseline_and_discordance_from_a_pilot_run()
    {
        var withLabels = SentimentTask.Model(wrongEvery: 5);
        var without = SentimentTask.Model(wrongEvery: 7);
        await using var server = await FakeOpenAiServer.StartAsync(p => p.StartsWith("Labels", StringComparison.Ordinal) ? withLabels(p) : without(p));
        using var dir = new TempDir();
        dir.Write("prompts/other.liquid", "{{ input }}\nLabel:");
        var task = SentimentTask.WriteTask(dir, server.Endpoint, 100, extraVariant: """
              - name: other
                prompt: prompts/other.liquid
                temperature: 0.5
            """);
        var store = dir.Path("runs.db");
        Assert.Equal(0, (await AdaptLabCli.RunAsync("eval", task, "--store", store)).ExitCode);

        var fromRun = await AdaptLabCli.RunAsync("plan", "--from", "latest", "--effect", "0.05", "--json", "--store", store);
        var byHand = await AdaptLabCli.RunAsync("plan", "--baseline", "0.8", "--n", "400", "--json");
        var neither = await AdaptLabCli.RunAsync("plan", "--baseline", "0.8");

        Assert.True(fromRun.ExitCode == 0, fromRun.ToString());
        using var plan = JsonDocument.Parse(fromRun.Output);
        Assert.Equal(0.8, plan.RootElement.GetProperty("baseline").GetDouble(), 12);
        // Wrong on multiples of 5 and of 7 respectively: they disagree on 20 + 15 - 2 * 3 of 100 items.
        Assert.Equal(0.29, plan.RootElement.GetProperty("discordance").GetDouble(), 12);
        var paired = AdaptLab.Metrics.Statistics.PowerAnalysis.PairedBinarySampleSize(0.29, 0.05);
        Assert.Equal(paired.SampleSize, plan.RootElement.GetProperty("sample_size").GetInt32());
        using var mde = JsonDocument.Parse(byHand.Output);
        var expected = AdaptLab.Metrics.Statistics.PowerAnalysis.TwoProportionsMinimumEffect(0.8, 400);
        Assert.Equal(expected.Effect, mde.RootElement.GetProperty("effect").GetDouble(), 12);
        Assert.Equal(2, neither.ExitCode);
    }

    [Fact]
    public async Task The_offline_example_runs_on_the_embedded_model()
    {
        using var dir = new TempDir();

        var result = await AdaptLabCli.RunAsync("eval", RepoPaths.Path("examples", "pet-names", "adaptlab.yaml"), "--store", dir.Path("runs.db"), "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var scores = MetricByVariant(result.Output, "exact_match");
        Assert.True(scores["closed-book"] < 0.1, $"closed-book {scores["closed-book"]}");
        Assert.True(scores["fact-in-context"] > 0.2, $"fact-in-context {scores["fact-in-context"]}");
        // Retrieval finds each item's own fact among all 48 (BM25 on the name and the pet), so RAG reaches fact-in-context.
        Assert.Equal(1.0, MetricByVariant(result.Output, "retrieval_recall")["rag"]);
        Assert.False(MetricByVariant(result.Output, "retrieval_recall").ContainsKey("closed-book"));
        Assert.True(scores["rag"] > 0.2, $"rag {scores["rag"]}");
    }

    [Fact]
    public async Task A_json_schema_on_the_local_engine_makes_every_reply_valid()
    {
        using var dir = new TempDir();

        var result = await AdaptLabCli.RunAsync("eval", RepoPaths.Path("examples", "slots-local", "adaptlab.yaml"), "--store", dir.Path("runs.db"), "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var valid = MetricByVariant(result.Output, "json_valid");
        Assert.Equal(1.0, valid["schema"]);
        Assert.True(valid["free"] < 0.5, $"free {valid["free"]}");
        // The schema requires date, time and people: "{}" would fail it, so a pass means the engine filled them.
        Assert.Equal("{}", JsonSchemaFailure("{}"));
        var schema = MetricByVariant(result.Output, "json_schema");
        Assert.Equal(1.0, schema["schema"]);

        // Every stored field_f1 equals F1 against the gold spans read straight from the dataset file.
        using var store = RunStore.Open(dir.Path("runs.db"));
        var run = store.FindRun("latest")!;
        var raw = JsonNode.Parse(File.ReadAllText(SharedData.Path("datasets", "restaurant8k", "test.json")))!.AsArray();
        var items = store.GetItems(run.Id).ToDictionary(i => i.Index);
        var outputs = store.GetPredictions(run.Id).Where(p => p.Variant == "schema").ToDictionary(p => p.ItemIndex, p => p.Output!);
        var scores = store.GetScores(run.Id).Where(s => s.Variant == "schema" && s.Metric == "field_f1").ToList();
        Assert.Equal(40, scores.Count);
        foreach (var score in scores)
        {
            var record = raw[items[score.ItemIndex].Index]!;
            var text = record["userInput"]!["text"]!.GetValue<string>();
            var gold = (record["labels"]?.AsArray() ?? []).ToDictionary(
                l => l!["slot"]!.GetValue<string>(),
                l => text[(l!["valueSpan"]!["startIndex"]?.GetValue<int>() ?? 0)..l["valueSpan"]!["endIndex"]!.GetValue<int>()]);
            var reply = JsonNode.Parse(outputs[score.ItemIndex])!.AsObject();
            Assert.True(reply.ContainsKey("date") && reply.ContainsKey("time") && reply.ContainsKey("people"), reply.ToJsonString());
            var predicted = reply.ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>());
            var hits = predicted.Count(kv => gold.TryGetValue(kv.Key, out var g) && g == kv.Value);
            var f1 = predicted.Count + gold.Count == 0 ? 1 : 2.0 * hits / (predicted.Count + gold.Count);
            Assert.Equal(f1, score.Value, 12);
        }
    }

    /// <summary>"{}" when the example's schema rejects the document, else the document.</summary>
    private static string JsonSchemaFailure(string document)
    {
        var schema = Json.Schema.JsonSchema.FromText(File.ReadAllText(RepoPaths.Path("examples", "slots-local", "slots.schema.json")));
        using var parsed = JsonDocument.Parse(document);
        return schema.Evaluate(parsed.RootElement).IsValid ? "valid" : document;
    }

    /// <summary>One metric's value per variant, from `eval --json` output.</summary>
    private static Dictionary<string, double> MetricByVariant(string evalJson, string metric)
    {
        using var doc = JsonDocument.Parse(evalJson);
        // A variant without the metric (a retrieval metric of a variant that does not retrieve) is left out.
        return doc.RootElement.GetProperty("variants").EnumerateArray()
            .Where(v => v.GetProperty("metrics").EnumerateArray().Any(m => m.GetProperty("metric").GetString() == metric))
            .ToDictionary(
                v => v.GetProperty("name").GetString()!,
                v => v.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == metric).GetProperty("value").GetDouble());
    }
}

public sealed class MetricsCommandTests
{
    [Fact]
    public async Task Metrics_lists_every_metric_with_every_option_its_default_and_its_choices()
    {
        var table = await AdaptLabCli.RunAsync("metrics");
        var json = await AdaptLabCli.RunAsync("metrics", "--json");

        Assert.Equal(0, table.ExitCode);
        using var doc = System.Text.Json.JsonDocument.Parse(json.Output);
        var listed = doc.RootElement.EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
        Assert.Equal(AdaptLab.Metrics.MetricCatalog.All.Select(d => d.Name).Order(), listed.Keys.Order());
        foreach (var definition in AdaptLab.Metrics.MetricCatalog.All)
        {
            Assert.Contains(definition.Name, table.Output);
            var options = listed[definition.Name].GetProperty("options").EnumerateArray().ToList();
            Assert.Equal(definition.Options.Select(o => o.Name), options.Select(o => o.GetProperty("name").GetString()));
            foreach (var (spec, option) in definition.Options.Zip(options))
            {
                Assert.Equal(spec.Default, option.GetProperty("default").GetString());
                Assert.Contains($"{spec.Name}: ", table.Output);
                if (spec.Choices is { } choices)
                {
                    Assert.Contains(string.Join("|", choices), table.Output);
                }
            }
        }
    }
}
