using AdaptLab.Core.Store;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests;

/// <summary>What a run with failures, retries, resumes and cache bypasses says and stores.</summary>
public class RunOutcomeTests
{
    [Fact]
    public async Task Failed_calls_without_an_error_rate_target_fail_the_command_and_say_how_many()
    {
        await using var server = await FakeOpenAiServer.StartAsync(
            SentimentTask.Model(wrongEvery: 1000), status: p => p.Contains("number 3\n", StringComparison.Ordinal) ? 400 : 200);
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, server.Endpoint, items: 20);
        File.WriteAllText(task, File.ReadAllText(task).Replace("  max_error_rate: 0.05\n", string.Empty));

        var result = await AdaptLabCli.RunAsync("eval", task, "--store", dir.Path("runs.db"));

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("1 model call(s) failed and are not scored (zero-shot: 1 of 20); first error (zero-shot): ", result.Error);
        Assert.Contains("400", result.Error);
    }

    [Fact]
    public async Task Failures_within_the_error_rate_target_pass_but_are_not_silent()
    {
        await using var server = await FakeOpenAiServer.StartAsync(
            SentimentTask.Model(wrongEvery: 1000), status: p => p.Contains("number 3\n", StringComparison.Ordinal) ? 400 : 200);
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, server.Endpoint, items: 20);
        File.WriteAllText(task, File.ReadAllText(task).Replace("max_error_rate: 0.05", "max_error_rate: 0.10"));

        var result = await AdaptLabCli.RunAsync("eval", task, "--store", dir.Path("runs.db"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("warning: 1 model call(s) failed", result.Error);

        // One state for eval and gate: the failures the task accepts complete the run, and its gate passes.
        var gate = await AdaptLabCli.RunAsync("gate", "latest", "--store", dir.Path("runs.db"));
        Assert.True(gate.ExitCode == 0, gate.ToString());
        Assert.Contains("· completed", (await AdaptLabCli.RunAsync("show", "latest", "--store", dir.Path("runs.db"))).Output);
    }

    [Fact]
    public async Task Failures_past_the_error_rate_target_leave_the_run_unfinished_and_both_eval_and_gate_fail_it()
    {
        await using var server = await FakeOpenAiServer.StartAsync(
            SentimentTask.Model(wrongEvery: 1000), status: p => p.Contains("number 3\n", StringComparison.Ordinal) || p.Contains("number 4\n", StringComparison.Ordinal) ? 400 : 200);
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, server.Endpoint, items: 20);

        var result = await AdaptLabCli.RunAsync("eval", task, "--store", dir.Path("runs.db"));
        var gate = await AdaptLabCli.RunAsync("gate", "latest", "--store", dir.Path("runs.db"));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.True(gate.ExitCode == 1, gate.ToString());
        Assert.Contains("unfinished", gate.Output + gate.Error);
    }

    [Fact]
    public async Task A_target_the_estimate_meets_inside_its_interval_is_shown_and_require_interval_judges_by_the_bound()
    {
        // 16 of 20 right: accuracy 80 [58.4, 91.9] against a target of 75.
        await using var server = await FakeOpenAiServer.StartAsync(SentimentTask.Model(wrongEvery: 5));
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, server.Endpoint, items: 20);

        var estimate = await AdaptLabCli.RunAsync("eval", task, "--store", dir.Path("runs.db"));
        File.WriteAllText(task, File.ReadAllText(task).Replace("  max_error_rate: 0.05\n", "  max_error_rate: 0.05\n  require: interval\n", StringComparison.Ordinal));
        var interval = await AdaptLabCli.RunAsync("eval", task, "--store", dir.Path("runs.db"));

        Assert.True(estimate.ExitCode == 0, estimate.ToString());
        Assert.True(estimate.Output.Contains("gate met, narrowly zero-shot: accuracy = 80 [58.4, 91.93], the interval straddles the target: met on the estimate only", StringComparison.Ordinal), estimate.Output);
        // The control: asked for the whole interval, the same numbers miss the target.
        Assert.True(interval.ExitCode == 1, interval.ToString());
        Assert.True(interval.Output.Contains("gate missed zero-shot: accuracy = 80 [58.4, 91.93], the interval straddles the target, target ≥ 75", StringComparison.Ordinal), interval.Output);
        var gate = await AdaptLabCli.RunAsync("gate", "latest", "--store", dir.Path("runs.db"));
        Assert.Equal(1, gate.ExitCode);
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task A_signal_stops_eval_with_the_command_that_resumes_it_and_the_resume_asks_only_the_rest(string signal)
    {
        await using var server = await FakeOpenAiServer.StartAsync(SentimentTask.Model(wrongEvery: 1000), delay: TimeSpan.FromMilliseconds(200));
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, server.Endpoint, items: 40, concurrency: 1);
        using var cli = CliProcess.Start(null, "eval", task, "--store", dir.Path("runs.db"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (server.Calls < 3)
        {
            await Task.Delay(50, timeout.Token);
        }

        using (var kill = System.Diagnostics.Process.Start("kill", $"-{signal} {cli.Process.Id}"))
        {
            await kill.WaitForExitAsync(timeout.Token);
        }

        var exit = await cli.WaitAsync();
        var asked = server.Calls;

        Assert.True(exit == 130, cli.ToString());
        Assert.Contains($"`adaptlab eval {task} --store {dir.Path("runs.db")} --resume` continues where it stopped", cli.Errors);
        Assert.True(asked < 40, $"{asked} calls: the signal did not stop the run");
        var resumed = await AdaptLabCli.RunAsync("eval", task, "--store", dir.Path("runs.db"), "--resume");
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal(40, server.CallsByPrompt.Count);
        Assert.InRange(server.Calls, 40, 41); // at most the call in flight at the signal is asked again
    }

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public async Task The_summary_fits_a_narrow_console_without_cutting_a_model_name(int columns)
    {
        await using var server = await FakeOpenAiServer.StartAsync(SentimentTask.Model(wrongEvery: 5));
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, server.Endpoint, items: 20, extraVariant: "  - { name: a-variant-with-a-long-name, prompt: prompts/classify.liquid }");

        async Task<string> EvalAsync(int width)
        {
            using var cli = CliProcess.Start(new Dictionary<string, string> { ["COLUMNS"] = width.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                "eval", task, "--store", dir.Path("runs.db"));
            Assert.True(await cli.WaitAsync() is 0 or 1, cli.ToString());
            return cli.Output;
        }

        var narrow = await EvalAsync(columns);
        var wide = await EvalAsync(240);

        Assert.All(narrow.Split('\n'), line => Assert.True(line.TrimEnd().Length <= columns, $"{line.TrimEnd().Length} columns: {line}"));
        Assert.Contains("  model: openai-compatible:fake-model", narrow);
        Assert.Contains("  accuracy: 80 [58.4, 91.93]", narrow);
        // The control: with room for it, the same summary is one table.
        Assert.Matches(@"zero-shot\s+openai-compatible:fake-model\s+20\s+80 \[58\.4, 91\.93\]", wide);
    }

    [Fact]
    public async Task An_eval_of_some_variants_holds_only_those_and_completes()
    {
        await using var server = await FakeOpenAiServer.StartAsync(SentimentTask.Model(wrongEvery: 1000));
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, server.Endpoint, items: 10, extraVariant: "  - { name: other, prompt: prompts/classify.liquid, temperature: 0.5 }");

        var result = await AdaptLabCli.RunAsync("eval", task, "--variant", "zero-shot", "--store", dir.Path("runs.db"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("· completed", result.Output);
        Assert.DoesNotContain("other", result.Output);
        Assert.Equal(10, server.Calls);
        using var store = RunStore.Open(dir.Path("runs.db"));
        Assert.Equal(["zero-shot"], store.GetVariants(store.FindRun("latest")!.Id).Select(v => v.Name));
        Assert.Equal(0, (await AdaptLabCli.RunAsync("gate", "latest", "--store", dir.Path("runs.db"))).ExitCode);
    }

    [Fact]
    public async Task The_summary_counts_calls_cache_hits_and_kept_answers_without_going_negative()
    {
        var failing = true;
        await using var server = await FakeOpenAiServer.StartAsync(
            SentimentTask.Model(), status: p => failing && p.Contains("number 1", StringComparison.Ordinal) ? 400 : 200);
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, server.Endpoint, items: 30);
        var store = dir.Path("runs.db");

        var first = await AdaptLabCli.RunAsync("eval", task, "--store", store);
        failing = false;
        var resumed = await AdaptLabCli.RunAsync("eval", task, "--store", store, "--resume");
        var cached = await AdaptLabCli.RunAsync("eval", task, "--store", store);

        Assert.Contains("30 model calls (11 failed); 0 answers from the response cache; 0 kept from before this resume", first.Output);
        Assert.Contains("11 model calls (0 failed); 0 answers from the response cache; 19 kept from before this resume", resumed.Output);
        Assert.Contains("0 model calls (0 failed); 30 answers from the response cache; 0 kept from before this resume", cached.Output);
    }

    [Fact]
    public async Task Latency_includes_the_time_of_failed_attempts()
    {
        // Every first attempt fails after 400 ms; the retry answers at once.
        await using var server = await FakeOpenAiServer.StartAsync(
            SentimentTask.Model(),
            delay: TimeSpan.FromMilliseconds(400),
            reply: call => call.Attempt == 1 ? new FakeReply(500) : null);
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, server.Endpoint, items: 4);
        File.WriteAllText(task, File.ReadAllText(task).Replace("max_error_rate: 0.05", "max_error_rate: 0.05\n  p95_latency_ms: 300"));
        var storePath = dir.Path("runs.db");

        var result = await AdaptLabCli.RunAsync("eval", task, "--store", storePath);

        // Positive control: the gate that passed at the retry's own latency now fails.
        Assert.True(result.ExitCode == 1, result.ToString());
        using var store = RunStore.Open(storePath);
        var run = store.FindRun("latest")!;
        // Two attempts of 400 ms each; timers may fire a little early, and one attempt alone would be about 400.
        Assert.All(store.GetPredictions(run.Id), p => Assert.True(p.Error is null && p.LatencyMs >= 760, $"latency {p.LatencyMs}"));
    }

    [Fact]
    public async Task Resume_with_nothing_unfinished_says_so_and_starts_nothing()
    {
        await using var server = await FakeOpenAiServer.StartAsync(SentimentTask.Model());
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, server.Endpoint, items: 5);
        var storePath = dir.Path("runs.db");
        await AdaptLabCli.RunAsync("eval", task, "--store", storePath);
        var calls = server.Calls;

        var result = await AdaptLabCli.RunAsync("eval", task, "--store", storePath, "--resume");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("nothing to resume", result.Error);
        Assert.Equal(calls, server.Calls);
        using var store = RunStore.Open(storePath);
        Assert.Single(store.ListRuns());
    }

    [Fact]
    public async Task A_second_resume_of_a_run_in_progress_refuses_and_no_item_is_asked_twice()
    {
        await using var server = await FakeOpenAiServer.StartAsync(SentimentTask.Model(), delay: TimeSpan.FromMilliseconds(150));
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, server.Endpoint, items: 12, concurrency: 1);
        var storePath = dir.Path("runs.db");

        var first = AdaptLabCli.RunAsync("eval", task, "--store", storePath);
        while (server.Calls < 2)
        {
            await Task.Delay(20);
        }

        var second = await AdaptLabCli.RunAsync("eval", task, "--store", storePath, "--resume");
        var firstResult = await first;

        Assert.True(second.ExitCode == 2, second.ToString());
        Assert.Contains("is being evaluated by another process", second.Error);
        Assert.True(firstResult.ExitCode == 0, firstResult.ToString());
        Assert.Equal(12, server.Calls);
        Assert.All(server.CallsByPrompt.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task A_lease_is_held_by_one_owner_until_released_or_expired()
    {
        await using var server = await FakeOpenAiServer.StartAsync(SentimentTask.Model());
        using var dir = new TempDir();
        await AdaptLabCli.RunAsync("eval", SentimentTask.WriteTask(dir, server.Endpoint, items: 1), "--store", dir.Path("runs.db"));
        using var store = RunStore.Open(dir.Path("runs.db"));
        var run = store.FindRun("latest")!.Id;

        Assert.True(store.TryLease(run, "a", TimeSpan.FromMinutes(1)));
        Assert.False(store.TryLease(run, "b", TimeSpan.FromMinutes(1)));
        Assert.True(store.TryLease(run, "a", TimeSpan.FromMinutes(1)));
        store.ReleaseLease(run, "a");
        Assert.True(store.TryLease(run, "b", TimeSpan.FromMilliseconds(-1)));
        Assert.True(store.TryLease(run, "c", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task No_cache_answers_replace_the_cached_ones()
    {
        var version = "v1";
        await using var server = await FakeOpenAiServer.StartAsync(_ => version);
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, server.Endpoint, items: 3);
        var storePath = dir.Path("runs.db");

        await AdaptLabCli.RunAsync("eval", task, "--store", storePath);
        version = "v2";
        await AdaptLabCli.RunAsync("eval", task, "--store", storePath, "--no-cache");
        var calls = server.Calls;
        await AdaptLabCli.RunAsync("eval", task, "--store", storePath);

        Assert.Equal(calls, server.Calls);
        using var store = RunStore.Open(storePath);
        Assert.All(store.GetPredictions(store.FindRun("latest")!.Id), p => Assert.Equal("v2", p.Output));
    }

    [Fact]
    public async Task A_reply_with_empty_choices_is_an_error_that_says_so()
    {
        const string empty = """{"id": "x", "object": "chat.completion", "created": 1, "model": "fake-model", "choices": []}""";
        await using var server = await FakeOpenAiServer.StartAsync(
            SentimentTask.Model(), reply: call => call.Prompt.Contains("number 2\n", StringComparison.Ordinal) ? new FakeReply(200, Body: empty) : null);
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, server.Endpoint, items: 5);
        var storePath = dir.Path("runs.db");

        var result = await AdaptLabCli.RunAsync("eval", task, "--store", storePath);

        Assert.True(result.ExitCode == 1 || result.ExitCode == 3, result.ToString());
        using var store = RunStore.Open(storePath);
        var failed = store.GetPredictions(store.FindRun("latest")!.Id).Single(p => p.Error is not null);
        Assert.Equal(2, failed.ItemIndex);
        Assert.Contains("no choices", failed.Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("no-such-dir/sub/../../blocker/runs.db")]
    public async Task A_store_that_cannot_be_opened_names_its_path(string relative)
    {
        using var dir = new TempDir();
        dir.Write("blocker", "a file where a folder is needed");
        var path = relative.Length == 0 ? dir.Root : dir.Path(relative);

        var result = await AdaptLabCli.RunAsync("runs", "--store", path);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{System.IO.Path.GetFullPath(path)}: cannot open the run store", result.Error);
    }

    [Fact]
    public async Task Show_runs_and_reports_use_the_same_word_for_a_runs_state()
    {
        await using var server = await FakeOpenAiServer.StartAsync(SentimentTask.Model(wrongEvery: 1000));
        using var dir = new TempDir();
        var storePath = dir.Path("runs.db");
        Assert.Equal(0, (await AdaptLabCli.RunAsync("eval", SentimentTask.WriteTask(dir, server.Endpoint, items: 6), "--store", storePath)).ExitCode);
        var completed = await AdaptLabCli.RunAsync("show", "latest", "--store", storePath);
        Assert.Contains("· completed", completed.Output);

        // A run killed before it finished stays 'running' in the store.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={storePath};Pooling=False"))
        {
            connection.Open();
            using var kill = connection.CreateCommand();
            kill.CommandText = "UPDATE runs SET status = 'running', finished_at = NULL";
            kill.ExecuteNonQuery();
        }

        var show = await AdaptLabCli.RunAsync("show", "latest", "--store", storePath);
        var runs = await AdaptLabCli.RunAsync("runs", "--store", storePath);
        var runsJson = await AdaptLabCli.RunAsync("runs", "--store", storePath, "--json");
        var report = await AdaptLabCli.RunAsync("report", "latest", "--store", storePath, "--format", "json", "-o", "-");

        Assert.Contains("· unfinished", show.Output);
        Assert.Contains(" unfinished ", runs.Output);
        Assert.Equal("unfinished", System.Text.Json.Nodes.JsonNode.Parse(runsJson.Output)![0]!["status"]!.GetValue<string>());
        Assert.Equal("unfinished", System.Text.Json.Nodes.JsonNode.Parse(report.Output)!["run"]!["state"]!.GetValue<string>());
        Assert.DoesNotContain("running", show.Output + runs.Output + runsJson.Output);
    }
}
