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
        await using var server = await FakeOpenAiServer.StartAsync(_ => "the dog runs");
        using var dir = new TempDir();
        dir.Write("data/test.jsonl", string.Concat(Enumerable.Range(0, 6).Select(i => $"{{\"id\": \"s{i}\", \"text\": \"story {i}\", \"summary\": \"the dog running\"}}\n")));
        dir.Write("p.liquid", "Summarise: {{ input }}");
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
        Assert.Equal(2.0 / 3, results["rouge1"], 9);   // "the dog" of three words each way
        Assert.Equal(1.0, results["rouge1_stemmed"], 9);
        // BLEU keeps its own 0-100 scale under the alias: the report shows the stored value, not a hundred times it.
        var variant = JsonNode.Parse(report.Output)!["variants"]![0]!;
        var bleu = variant["metrics"]!.AsArray().Single(m => (string)m!["metric"]! == "bleu_intl")!;
        Assert.InRange((double)bleu["value"]!, 0, 100);
        Assert.Contains("bleu_intl", show.Output);
        Assert.DoesNotContain(show.Output.Split('\n'), l => l.Contains(" v ", StringComparison.Ordinal) && l.Contains("[100", StringComparison.Ordinal) && l.Contains("bleu", StringComparison.Ordinal));
    }
}
