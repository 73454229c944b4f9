using System.Text.Json;
using System.Text.Json.Nodes;
using AdaptLab.Core.Store;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;
using Microsoft.Data.Sqlite;

namespace AdaptLab.Tests;

/// <summary>
/// An MBPP-style code task end to end: assert-list tests with setup code, chat replies with the code in
/// a fenced block, verdicts frozen at eval time, and data that does not fit the test format.
/// </summary>
public class CodeTaskTests
{
    private const int Problems = 6;

    // "chat" answers in prose with a fenced block; "plain" answers with bare code, wrong on even problems.
    private static string Answer(string prompt)
    {
        var n = int.Parse(prompt[(prompt.IndexOf('#') + 1)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        var body = $"def f{n}(x):\n    return x * FACTOR + {n}\n";
        return prompt.StartsWith("Chat", StringComparison.Ordinal)
            ? $"Sure! Here is the function:\n\n```python\n{body}```\n\nIt multiplies by FACTOR."
            : n % 2 == 0 ? body.Replace($"+ {n}", $"+ {n + 1}", StringComparison.Ordinal) : body;
    }

    [Fact]
    public async Task Assert_lists_run_with_their_setup_and_fenced_chat_replies_are_extracted()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Answer);
        using var dir = new TempDir();
        var task = WriteTask(dir, server.Endpoint);

        var result = await AdaptLabCli.RunAsync("eval", task, "--store", dir.Path("runs.db"));

        Assert.True(result.ExitCode == 0, result.ToString());
        using var store = RunStore.Open(dir.Path("runs.db"));
        var run = store.FindRun("latest")!;
        var scores = store.GetScores(run.Id).ToLookup(s => s.Variant);
        Assert.All(scores["chat"], s => Assert.True(s.Value == 1, s.Reason));
        Assert.Equal([0.0, 1, 0, 1, 0, 1], scores["plain"].OrderBy(s => s.ItemIndex).Select(s => s.Value));
        Assert.Equal("AssertionError: test 1 of 2 failed: assert f0(1) == 7 + 0", scores["plain"].First(s => s.ItemIndex == 0).Reason);
    }

    [Fact]
    public async Task Reports_read_the_verdicts_frozen_at_eval_time_and_run_no_code()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Answer);
        using var dir = new TempDir();
        var storePath = dir.Path("runs.db");
        Assert.Equal(0, (await AdaptLabCli.RunAsync("eval", WriteTask(dir, server.Endpoint), "--store", storePath)).ExitCode);
        var before = Difference(await AdaptLabCli.RunAsync("report", "latest", "--store", storePath, "--format", "json", "-o", "-"));

        // Flip one stored verdict: a report that ran the code again would not see it.
        using (var connection = new SqliteConnection($"Data Source={storePath};Pooling=False"))
        {
            connection.Open();
            using var flip = connection.CreateCommand();
            flip.CommandText = "UPDATE scores SET value = 1, reason = NULL WHERE variant = 'plain' AND item_index = 0";
            Assert.Equal(1, flip.ExecuteNonQuery());
        }

        var after = Difference(await AdaptLabCli.RunAsync("report", "latest", "--store", storePath, "--format", "json", "-o", "-"));

        Assert.Equal(-0.5, before, 1e-12);
        Assert.Equal(before + (1.0 / Problems), after, 1e-12);
    }

    [Fact]
    public async Task The_csv_report_has_one_row_per_item_and_variant_with_scores_reasons_and_the_code_run()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Answer);
        using var dir = new TempDir();
        var storePath = dir.Path("runs.db");
        Assert.Equal(0, (await AdaptLabCli.RunAsync("eval", WriteTask(dir, server.Endpoint), "--store", storePath)).ExitCode);

        var report = await AdaptLabCli.RunAsync("report", "latest", "--store", storePath, "--format", "csv", "-o", "-");

        Assert.True(report.ExitCode == 0, report.ToString());
        // Python's csv module, what pandas users read it with, independent of the writer.
        var header = PythonCsv(report.Output)[0];
        var rows = PythonCsv(report.Output).Skip(1).Select(fields =>
        {
            Assert.Equal(header.Length, fields.Length);
            return header.Zip(fields).ToDictionary(p => p.First, p => p.Second);
        }).ToList();

        Assert.Equal(["item_index", "id", "variant", "input", "expected", "output", "parsed", "error", "latency_ms", "pass_at_1", "pass_at_1_reason"], header);
        Assert.Equal(2 * Problems, rows.Count);
        var chat = rows.Single(r => r["variant"] == "chat" && r["item_index"] == "3");
        Assert.Equal(Answer("Chat: #3"), chat["output"]);
        Assert.Equal("def f3(x):\n    return x * FACTOR + 3\n", chat["parsed"]);
        Assert.Equal("100", chat["pass_at_1"]);
        var plain = rows.Single(r => r["variant"] == "plain" && r["item_index"] == "0");
        Assert.Equal("0", plain["pass_at_1"]);
        Assert.Equal("AssertionError: test 1 of 2 failed: assert f0(1) == 7 + 0", plain["pass_at_1_reason"]);
        Assert.Equal("#0 multiply by FACTOR and add 0", plain["input"]);
    }

    [Fact]
    public async Task Plan_takes_its_baseline_from_a_pass_at_k_pilot()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Answer);
        using var dir = new TempDir();
        var storePath = dir.Path("runs.db");
        var eval = await AdaptLabCli.RunAsync("eval", WriteTask(dir, server.Endpoint, metric: "pass_at_k, k: 2"), "--store", storePath);
        Assert.True(eval.ExitCode == 0, eval.ToString());

        var plan = await AdaptLabCli.RunAsync("plan", "--from", "latest", "--n", "300", "--json", "--store", storePath);

        // Three problems of two samples: chat passes both of each (pass@2 = 1), so its baseline leaves nothing to detect.
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Contains("the baseline is already 1 (run ", plan.Error);
        Assert.Contains("pass_at_k of chat", plan.Error);
    }

    [Fact]
    public async Task Data_that_does_not_fit_the_test_format_is_an_input_error_before_any_model_call()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Answer);
        using var dir = new TempDir();
        var task = WriteTask(dir, server.Endpoint, testFormat: "humaneval");

        var validate = await AdaptLabCli.RunAsync("validate", task);
        var eval = await AdaptLabCli.RunAsync("eval", task, "--store", dir.Path("runs.db"));

        Assert.True(validate.ExitCode == 2, validate.ToString());
        Assert.Contains("mbpp.jsonl:1: data.fields.extra.prompt: metric 'pass_at_1': test_format 'humaneval' reads the fields", validate.Error);
        Assert.True(eval.ExitCode == 2, eval.ToString());
        Assert.Equal(0, server.Calls);

        // Positive control: the same data validates with the format it has.
        var fits = await AdaptLabCli.RunAsync("validate", WriteTask(dir, server.Endpoint));
        Assert.True(fits.ExitCode == 0, fits.ToString());
    }

    private static string[][] PythonCsv(string text)
    {
        using var python = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("python3", ["-c", "import csv, json, sys; print(json.dumps(list(csv.reader(sys.stdin))))"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            Environment = { ["PYTHONIOENCODING"] = "utf-8" },
        })!;
        python.StandardInput.Write(text);
        python.StandardInput.Close();
        var json = python.StandardOutput.ReadToEnd();
        python.WaitForExit();
        return JsonSerializer.Deserialize<string[][]>(json)!;
    }

    private static double Difference(CliResult report)
    {
        Assert.True(report.ExitCode == 0, report.ToString());
        return JsonNode.Parse(report.Output)!["comparisons"]!.AsArray().Single()!["difference"]!.GetValue<double>();
    }

    private static string WriteTask(TempDir dir, string endpoint, string testFormat = "asserts", string metric = "pass_at_1")
    {
        var rows = Enumerable.Range(0, Problems).Select(n => JsonSerializer.Serialize(new
        {
            task_id = n,
            problem = n / 2,
            text = $"#{n} multiply by FACTOR and add {n}",
            code = $"def f{n}(x):\n    return x * FACTOR + {n}\n",
            test_list = new[] { $"assert f{n}(1) == 7 + {n}", $"assert f{n}(0) == {n}" },
            test_setup_code = "FACTOR = 7",
        }));
        dir.Write("data/mbpp.jsonl", string.Join('\n', rows) + "\n");
        dir.Write("prompts/chat.liquid", "Chat: write the function for problem {{ input }}");
        dir.Write("prompts/plain.liquid", "Code: problem {{ input }}");
        return dir.Write("adaptlab.yaml", $$"""
            name: mbpp-style
            task: code
            data:
              test: data/mbpp.jsonl
              fields: { id: task_id, input: text, expected: code, extra: { tests: test_list, setup: test_setup_code, task_id: problem } }
            metrics: [{ name: {{metric}}, test_format: {{testFormat}}, timeout_s: 60 }]
            models:
              fake: { ref: "openai-compatible:fake-model", endpoint: "{{endpoint}}" }
            defaults: { model: fake, temperature: 0, max_tokens: 256 }
            variants:
              - name: chat
                prompt: prompts/chat.liquid
              - name: plain
                prompt: prompts/plain.liquid
            """);
    }
}
