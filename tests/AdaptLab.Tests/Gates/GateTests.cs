using System.Text.Json.Nodes;
using System.Xml.Linq;
using AdaptLab.Core.Store;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests.Gates;

/// <summary>The CI gate's exit codes and outputs, and labels with promotion, rollback and their history.</summary>
public sealed class GateTests : IAsyncLifetime
{
    private readonly TempDir dir = new();
    private int wrongEvery = 5;
    private FakeOpenAiServer server = null!;
    private string task = null!;

    private string Store => dir.Path("runs.db");

    public async Task InitializeAsync()
    {
        server = await FakeOpenAiServer.StartAsync(prompt => SentimentTask.Model(wrongEvery)(prompt));
        task = SentimentTask.WriteTask(dir, server.Endpoint, items: 200);
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        dir.Dispose();
    }

    /// <summary>An eval whose fake model is wrong on every <paramref name="wrong"/>-th item; returns the run id.</summary>
    private async Task<string> EvalAsync(int wrong)
    {
        wrongEvery = wrong;
        var eval = await AdaptLabCli.RunAsync("eval", task, "--no-cache", "--store", Store);
        Assert.True(eval.ExitCode is 0 or 1, eval.ToString());
        using var store = RunStore.Open(Store);
        return store.FindRun("latest")!.Id;
    }

    [Fact]
    public async Task A_run_that_meets_its_targets_and_does_not_regress_passes_and_one_that_regresses_fails_with_JUnit_and_Markdown()
    {
        var good = await EvalAsync(wrong: 5);   // accuracy 0.8 against a target of 0.75
        var alone = await AdaptLabCli.RunAsync("gate", good, "--store", Store);
        Assert.True(alone.ExitCode == 0, alone.ToString());
        Assert.Contains("no baseline: targets only", alone.Output, StringComparison.Ordinal);

        Assert.Equal(0, (await AdaptLabCli.RunAsync("label", "set", "production", good, "--why", "first release", "--by", "ci", "--store", Store)).ExitCode);
        var same = await EvalAsync(wrong: 5);
        var bad = await EvalAsync(wrong: 2);    // accuracy 0.5: misses the target, and is significantly worse than production

        var passed = await AdaptLabCli.RunAsync("gate", same, "--store", Store, "--junit", dir.Path("same.xml"));
        var failed = await AdaptLabCli.RunAsync("gate", bad, "--store", Store, "--junit", dir.Path("bad.xml"), "--md", dir.Path("bad.md"), "--json");

        Assert.True(passed.ExitCode == 0, passed.ToString());
        Assert.Contains($"against {good} (production)", passed.Output, StringComparison.Ordinal);
        Assert.Equal(1, failed.ExitCode);
        var checks = JsonNode.Parse(failed.Output)!["checks"]!.AsArray();
        Assert.Contains(checks, c => (string)c!["suite"]! == "targets" && (string)c["name"]! == "zero-shot: accuracy >= 75" && !(bool)c["passed"]!);
        Assert.Contains(checks, c => (string)c!["suite"]! == "regressions" && (string)c["name"]! == "zero-shot: accuracy against production" && !(bool)c["passed"]!);

        var junit = XDocument.Load(dir.Path("bad.xml")).Root!;
        Assert.Equal("testsuites", junit.Name.LocalName);
        Assert.Equal(checks.Count(c => !(bool)c!["passed"]!), (int)junit.Attribute("failures")!);
        Assert.Contains(junit.Descendants("testcase"), t => (string)t.Attribute("name")! == "zero-shot: accuracy against production" && t.Element("failure") is not null);
        Assert.Equal(0, (int)XDocument.Load(dir.Path("same.xml")).Root!.Attribute("failures")!);
        Assert.StartsWith("## AdaptLab gate: failed", File.ReadAllText(dir.Path("bad.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promotion_and_rollback_are_one_command_each_and_the_history_says_who_when_and_why()
    {
        var first = await EvalAsync(wrong: 5);
        var second = await EvalAsync(wrong: 4);

        await AdaptLabCli.RunAsync("label", "set", "production", first, "--why", "v1", "--by", "ana", "--store", Store);
        await AdaptLabCli.RunAsync("label", "set", "production", second, "--why", "v2", "--by", "ana", "--store", Store);
        var back = await AdaptLabCli.RunAsync("label", "rollback", "production", "--why", "v2 regressed in production", "--by", "bo", "--store", Store);
        var again = await AdaptLabCli.RunAsync("label", "rollback", "production", "--store", Store);
        var history = await AdaptLabCli.RunAsync("label", "list", "--json", "--store", Store);

        Assert.True(back.ExitCode == 0, back.ToString());
        Assert.Equal(2, again.ExitCode); // v1 was the first: nothing before it
        Assert.Contains("no earlier run to roll back to", again.Error, StringComparison.Ordinal);
        var rows = JsonNode.Parse(history.Output)!.AsArray();
        Assert.Equal(["rollback", "promote", "promote"], rows.Select(r => (string)r!["action"]!));
        Assert.Equal([first, second, first], rows.Select(r => (string)r!["run_id"]!));
        Assert.Equal("bo", (string)rows[0]!["actor"]!);
        Assert.Equal("v2 regressed in production", (string)rows[0]!["reason"]!);
        Assert.Contains("prompt_hash", (string)rows[0]!["snapshot"]!, StringComparison.Ordinal);
        using var store = RunStore.Open(Store);
        Assert.Equal(first, store.CurrentLabel("sentiment", "production")!.RunId);

        var trend = JsonNode.Parse((await AdaptLabCli.RunAsync("trend", "sentiment", "--json", "--store", Store)).Output)!.AsArray();
        Assert.Equal([first, second], trend.Select(t => (string)t!["run"]!));
        Assert.Equal(["production"], trend[0]!["labels"]!.AsArray().Select(l => (string)l!));
        Assert.Empty(trend[1]!["labels"]!.AsArray());
        Assert.Equal([0.8, 0.75], trend.Select(t => (double)t!["variants"]![0]!["value"]!));
    }

    [Fact]
    public async Task An_unknown_baseline_is_bad_input()
    {
        var run = await EvalAsync(wrong: 5);

        var result = await AdaptLabCli.RunAsync("gate", run, "--baseline", "staging", "--store", Store);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'staging' is neither a run nor a label of task 'sentiment'", result.Error, StringComparison.Ordinal);
    }
}

/// <summary>The GitHub Actions workflow in examples/ci calls only commands and options the CLI has.</summary>
public class CiWorkflowTests
{
    private const string ParseError = "Run `adaptlab --help` for usage.";

    [Fact]
    public async Task Every_adaptlab_command_line_in_the_example_workflow_parses()
    {
        using var dir = new TempDir();
        var lines = File.ReadAllLines(RepoPaths.Path("examples", "ci", "adaptlab-gate.yml"))
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("run: adaptlab ", StringComparison.Ordinal))
            .Select(l => l["run: adaptlab ".Length..].Split(" || ")[0])
            .ToList();

        Assert.Equal(3, lines.Count);
        foreach (var line in lines)
        {
            // Against an empty store the commands fail for want of runs (exit 2), but never for their words.
            var result = await RunAsync(line, dir);
            Assert.True(!result.Error.Contains(ParseError, StringComparison.Ordinal), $"{line}\n{result}");
        }

        var control = await RunAsync("gate latest --junit-xml report.xml", dir);
        Assert.Contains(ParseError, control.Error, StringComparison.Ordinal);
    }

    private static Task<CliResult> RunAsync(string line, TempDir dir)
    {
        var words = System.Text.RegularExpressions.Regex.Matches(line, "\"[^\"]*\"|\\S+").Select(m => m.Value.Trim('"')).ToArray();
        return AdaptLabCli.RunAsync([.. words.Select(w => w.StartsWith('$') || w.EndsWith(".xml", StringComparison.Ordinal) ? dir.Path(w.TrimStart('$')) : w), "--store", dir.Path("runs.db")]);
    }
}
