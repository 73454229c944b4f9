using System.Text.Json.Nodes;
using AdaptLab.Core.Store;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests;

/// <summary>One metric measured twice with other options under an alias (<c>as:</c>), end to end.</summary>
public sealed class MetricAliasTests
{
    [Fact]
    public async Task An_aliased_metric_is_scored_gated_shown_and_reported_under_its_alias_on_its_own_scale()
    {
        // Stemming matches "runs" to "running"; without it only "the dog" matches.
        // Even items are answered word for word; odd ones say "runs" for "running", which only the stemmer matches.
        await using var server = await FakeOpenAiServer.StartAsync(prompt =>
            int.Parse(prompt[(prompt.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0
                ? "the dog running in the park" : "the dog runs in the park");
        using var dir = new TempDir();
        dir.Write("data/test.jsonl", string.Concat(Enumerable.Range(0, 6).Select(i => $"{{\"id\": \"s{i}\", \"text\": \"story {i}\", \"summary\": \"the dog running in the park\"}}\n")));
        dir.Write("p.liquid", "Summarise story {{ input | remove: 'story ' }}");
        var task = dir.Write("adaptlab.yaml", $$"""
            name: summaries
            task: generation
            data:
              test: data/test.jsonl
              fields: { id: id, input: text, expected: summary }
            metrics:
              - rouge1
              - { name: rouge1, stemmer: true, as: rouge1_stemmed }
              - { name: bleu, tokenize: intl, as: bleu_intl }
            targets: { rouge1_stemmed: 0.9 }
            models:
              fake: { ref: "openai-compatible:fake", endpoint: "{{server.Endpoint}}" }
            defaults: { model: fake }
            variants:
              - { name: v, prompt: p.liquid }
            """);
        var store = dir.Path("runs.db");

        var eval = await AdaptLabCli.RunAsync("eval", task, "--store", store);
        var show = await AdaptLabCli.RunAsync("show", "latest", "--store", store);
        var gate = await AdaptLabCli.RunAsync("gate", "latest", "--store", store);
        var report = await AdaptLabCli.RunAsync("report", "latest", "--format", "json", "-o", "-", "--store", store);

        Assert.True(eval.ExitCode == 0, eval.ToString());
        Assert.True(show.ExitCode == 0 && gate.ExitCode == 0 && report.ExitCode == 0, show.ToString() + gate + report);
        using var runs = RunStore.Open(store);
        var results = runs.GetMetricResults(runs.FindRun("latest")!.Id).ToDictionary(r => r.Metric, r => r.Value);
        Assert.Equal((3 * 1.0 + 3 * (5.0 / 6)) / 6, results["rouge1"], 9);   // odd items: 5 of 6 words match
        Assert.Equal(1.0, results["rouge1_stemmed"], 9);
        // BLEU keeps its own 0-100 scale under the alias: shown as stored, not a hundred times it.
        Assert.InRange(results["bleu_intl"], 1, 99);
        Assert.Equal(100, (double)JsonNode.Parse(report.Output)!["full_scales"]!["bleu_intl"]!);
        Assert.Contains($" {AdaptLab.Core.Evidence.Format.Points(results["bleu_intl"])} [", show.Output);
        Assert.True(gate.ExitCode == 0 && results["rouge1_stemmed"] >= 0.9, "the alias's target is met and gated");
    }
}
