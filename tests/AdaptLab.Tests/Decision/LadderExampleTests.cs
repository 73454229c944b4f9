using System.Diagnostics;
using System.Text.Json.Nodes;
using AdaptLab.Abstractions;
using AdaptLab.Core.Decision;
using AdaptLab.Core.Ladder;
using AdaptLab.Core.Store;
using AdaptLab.Core.Tasks;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests.Decision;

/// <summary>
/// The ladder examples run offline on stories260K as a user runs them: a knowledge task where RAG wins and a format task
/// where fine-tuning wins. Their evidence is checked against the stored predictions, not against the report's own words.
/// </summary>
public sealed class LadderExampleTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public async Task The_knowledge_task_recommends_RAG_and_the_gold_context_finds_the_prompts_knowledge_gaps()
    {
        var task = CopyExample("pet-names", "ladder.yaml", "facts.jsonl", "train.jsonl", "prompts/closed-book.liquid", "prompts/rag.liquid", "prompts/fact-in-context.liquid");

        var result = await AdaptLabCli.RunAsync("run", task, "--json", "--store", dir.Path("runs.db"), "--html", dir.Path("study.html"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var study = JsonNode.Parse(result.Output)!;
        Assert.Equal("add_rag", (string)study["recommendation"]!["outcome"]!);
        var rag = Rung(study, "rag")["evidence"]!;
        Assert.True((double)rag["lift"]!["lower"]! > 0, "RAG's paired lift over the closed-book prompt must exclude 0");
        Assert.True((bool)rag["meets_targets"]!);
        Assert.Equal("skipped", (string)Rung(study, "fine-tuned")["status"]!);

        // An item is a knowledge gap when closed-book fails it and the gold fact in context passes it: count that from the store.
        using var store = RunStore.Open(dir.Path("runs.db"));
        var scores = store.GetScores((string)study["run_id"]!).Where(s => s.Metric == "exact_match").ToLookup(s => s.Variant);
        var oraclePasses = scores["probe:oracle"].Where(s => s.Value == 1).Select(s => s.ItemIndex).ToHashSet();
        var ragPasses = scores["rag"].Where(s => s.Value == 1).Select(s => s.ItemIndex).ToHashSet();
        var gaps = scores["prompt"].Count(s => s.Value == 0 && (oraclePasses.Contains(s.ItemIndex) || ragPasses.Contains(s.ItemIndex)));
        var shares = Rung(study, "prompt")["evidence"]!["failures"]!["shares"]!.AsArray();
        Assert.Equal(gaps, (int)shares.Single(s => (string)s!["category"]! == "knowledge_gap")!["count"]!);
        Assert.True(gaps > 0, "the oracle probe fixed no closed-book failure");

        // Inconsistency is a failure some sample at temperature passes; a closed-book guess that only disagrees with itself is not.
        var samplePasses = scores.Where(g => g.Key.StartsWith("probe:sample-", StringComparison.Ordinal)).SelectMany(g => g.Where(s => s.Value == 1)).Select(s => s.ItemIndex).ToHashSet();
        var inconsistent = scores["prompt"].Count(s => s.Value == 0 && !oraclePasses.Contains(s.ItemIndex) && !ragPasses.Contains(s.ItemIndex) && samplePasses.Contains(s.ItemIndex));
        Assert.Equal(inconsistent, (int)shares.Single(s => (string)s!["category"]! == "inconsistency")!["count"]!);
        Assert.Equal(48 - gaps - inconsistent, (int)shares.Single(s => (string)s!["category"]! == "capability_gap")!["count"]!);

        await CheckPageAsync("ladder-pet-names.png", "Recommendation: add RAG", "id=\"ladder-chart\"", "id=\"failure-chart\"");
    }

    [Fact]
    public async Task The_format_task_recommends_fine_tuning_with_a_significant_lift_and_the_break_even_its_costs_give()
    {
        var task = CopyExample("pet-json", "ladder.yaml", "train.jsonl", "test.jsonl", "pet.schema.json", "prompts/zero-shot.liquid", "prompts/two-shot.liquid");

        var result = await AdaptLabCli.RunAsync("run", task, "--json", "--store", dir.Path("runs.db"), "--html", dir.Path("study.html"), "--md", dir.Path("study.md"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var study = JsonNode.Parse(result.Output)!;
        Assert.Equal("fine_tune", (string)study["recommendation"]!["outcome"]!);
        var prompt = Rung(study, "prompt")["evidence"]!;
        var tuned = Rung(study, "fine-tuned")["evidence"]!;
        Assert.True((double)tuned["lower"]! > (double)prompt["upper"]!, $"fine-tuned {tuned["value"]} vs prompt {prompt["value"]}");
        Assert.True((double)tuned["lift"]!["lower"]! > 0);
        Assert.Equal(40, (int)prompt["failures"]!["shares"]!.AsArray().Single(s => (string)s!["category"]! == "format")!["count"]!);
        Assert.Contains(study["probes"]!.AsArray(), p => (string)p!["name"]! == "probe:constrained" && (string)p["metric"]! == "json_schema" && (double)p["value"]! >= 0.9);

        // The break-even from the reported costs: (training cost / 12 months + 20 a month hosting) / the saving per request.
        var breakEven = study["break_even"]!;
        var fixedPerMonth = ((double)tuned["cost"]!["training_cost"]! / 12) + 20;
        Assert.Equal(fixedPerMonth, (double)breakEven["fixed_per_month"]!, 9);
        var saving = ((double)prompt["cost"]!["cost_per1k"]! - (double)tuned["cost"]!["cost_per1k"]!) / 1000;
        if (saving > 0)
        {
            Assert.Equal(fixedPerMonth / saving, (double)breakEven["requests_per_month"]!, 6);
        }
        else
        {
            Assert.Null(breakEven["requests_per_month"]);
        }

        Assert.Contains("# pet-json-ladder: fine-tune", File.ReadAllText(dir.Path("study.md")), StringComparison.Ordinal);
        await CheckPageAsync("ladder-pet-json.png", "Recommendation: fine-tune", "id=\"break-even-chart\"");
    }

    [Fact]
    public async Task With_all_the_climb_goes_on_past_the_targets_and_a_training_budget_stops_the_fine_tuned_rungs()
    {
        var task = CopyExample("pet-names", "ladder.yaml", "facts.jsonl", "train.jsonl", "prompts/closed-book.liquid", "prompts/rag.liquid", "prompts/fact-in-context.liquid");
        File.WriteAllText(task, File.ReadAllText(task).Replace("max_minutes: 5", "max_minutes: 0.0002", StringComparison.Ordinal));

        var result = await AdaptLabCli.RunAsync("run", task, "--all", "--json", "--store", dir.Path("runs.db"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var study = JsonNode.Parse(result.Output)!;
        Assert.Equal("add_rag", (string)study["recommendation"]!["outcome"]!);
        foreach (var rung in new[] { "fine-tuned", "fine-tuned+rag" })
        {
            Assert.Equal("skipped", (string)Rung(study, rung)["status"]!);
            Assert.StartsWith("training ran past its budget", (string)Rung(study, rung)["reason"]!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_ladder_run_compares_with_an_eval_of_the_variants_its_rungs_were_made_from()
    {
        var task = CopyExample("pet-names", "ladder.yaml", "facts.jsonl", "train.jsonl", "prompts/closed-book.liquid", "prompts/rag.liquid", "prompts/fact-in-context.liquid");
        var ladder = await AdaptLabCli.RunAsync("run", task, "--json", "--store", dir.Path("runs.db"));
        var eval = await AdaptLabCli.RunAsync("eval", task, "--variant", "closed-book", "--variant", "rag", "--store", dir.Path("runs.db"));
        Assert.True(ladder.ExitCode == 0 && eval.ExitCode is 0 or 1, ladder.ToString() + eval);

        var compared = await AdaptLabCli.RunAsync("compare", (string)JsonNode.Parse(ladder.Output)!["run_id"]!, "latest", "--json", "--store", dir.Path("runs.db"));

        Assert.True(compared.ExitCode == 0, compared.ToString());
        var rows = JsonNode.Parse(compared.Output)!["rows"]!.AsArray().Where(r => (string)r!["metric"]! == "exact_match")
            .Select(r => ((string)r!["variant_a"]!, (string)r["variant_b"]!, (double)r["difference"]!)).ToList();
        // The prompt rung is closed-book under its rung's name (the same identity), rag is rag; the same greedy answers differ by nothing.
        Assert.Equal([("prompt", "closed-book", 0.0), ("rag", "rag", 0.0)], rows);
    }

    private static JsonNode Rung(JsonNode study, string name) => study["rungs"]!.AsArray().Single(r => (string)r!["rung"]! == name)!;

    /// <summary>
    /// The study page in headless Chromium: no console error, the texts expected in its DOM, and a screenshot of it as a
    /// person sees it, kept beside the test's output for a look.
    /// </summary>
    private async Task CheckPageAsync(string name, params string[] expected)
    {
        var html = dir.Path("study.html");
        var (dom, log) = await ReportTests.DumpDomAsync(html, dir.Path("chromium-profile"));
        Assert.DoesNotContain(":CONSOLE", log, StringComparison.Ordinal);
        Assert.All(expected, text => Assert.Contains(text, dom, StringComparison.Ordinal));

        var png = Path.Combine(AppContext.BaseDirectory, "screenshots", name);
        Directory.CreateDirectory(Path.GetDirectoryName(png)!);
        File.Delete(png);
        var psi = new ProcessStartInfo("/usr/bin/chromium") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=" + dir.Path("shot-profile"),
            "--window-size=1200,1800", "--screenshot=" + png, new Uri(html).AbsoluteUri })
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        await drain;
        Assert.True(new FileInfo(png).Length > 20_000, $"the screenshot {png} is missing or blank");
    }

    [Fact]
    public void A_model_an_older_trainer_made_is_not_reused()
    {
        var task = TaskFileLoader.Load(CopyExample("pet-json", "ladder.yaml", "train.jsonl", "test.jsonl", "pet.schema.json", "prompts/zero-shot.liquid", "prompts/two-shot.liquid"));
        string Folder(int revision) => LadderPlan.Create(task, revision).Rungs.Single(r => r.Kind == RungKind.FineTuned).Training!.Folder;

        // The control: the same inputs and trainer name the same folder, so a finished model is reused.
        Assert.Equal(Folder(TrainerRevision.Current), Folder(TrainerRevision.Current));
        Assert.NotEqual(Folder(TrainerRevision.Current), Folder(TrainerRevision.Current - 1));
    }

    private string CopyExample(string example, params string[] files) => ExampleCopy.Into(dir, example, example, files);
}
