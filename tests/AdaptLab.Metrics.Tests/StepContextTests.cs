using System.Text.Json;
using AdaptLab.Metrics.Retrieval;

namespace AdaptLab.Metrics.Tests;

/// <summary>
/// The stored context of a prediction stays byte for byte what it was before <see cref="StepContext"/>: the strings below
/// are what the earlier records (Core's StepContributions and ChunkContribution, with System.Text.Json's defaults) wrote
/// for the same contexts, so a resumed run, the response cache's neighbours and every stored report read alike.
/// </summary>
public sealed class StepContextTests
{
    private const string ShotsOnly = """{"shots":["tr-17","tr-402"]}""";

    private const string Retrieved =
        """{"chunks":[{"id":"facts.jsonl#3","source":"facts.jsonl","score":0.032787,"text":"Rex\u0027s owner \u003CAna\u003E \u0026 \u0022Bo\u0022 \u2014 caf\u00E9\nline 2"},""" +
        """{"id":"docs/a.md#0","source":"docs/a.md","score":12.5,"text":"plain"}],"index":"v2-9f3c"}""";

    private const string ShotsAndNothingRetrieved = """{"shots":["tr-1"],"chunks":[]}""";

    [Fact]
    public void A_context_is_written_as_the_earlier_version_wrote_it()
    {
        Assert.Equal(ShotsOnly, new StepContext(["tr-17", "tr-402"]).ToJson());
        Assert.Equal(Retrieved, new StepContext(null,
            [
                new RetrievedPassage("facts.jsonl#3", "facts.jsonl", "Rex's owner <Ana> & \"Bo\" — café\nline 2") { Score = Math.Round(0.0327868852459, 6) },
                new RetrievedPassage("docs/a.md#0", "docs/a.md", "plain") { Score = 12.5 },
            ],
            "v2-9f3c").ToJson());
        Assert.Equal(ShotsAndNothingRetrieved, new StepContext(["tr-1"], []).ToJson());
    }

    [Fact]
    public void A_stored_context_reads_back_and_writes_back_unchanged()
    {
        var shots = StepContext.Parse(ShotsOnly)!;
        Assert.Equal(["tr-17", "tr-402"], shots.Shots);
        Assert.Null(shots.Chunks);
        Assert.Null(shots.Index);

        var retrieved = StepContext.Parse(Retrieved)!;
        Assert.Null(retrieved.Shots);
        Assert.Equal("v2-9f3c", retrieved.Index);
        Assert.Equal(["facts.jsonl#3", "docs/a.md#0"], retrieved.Chunks!.Select(c => c.Id));
        Assert.Equal(["facts.jsonl", "docs/a.md"], retrieved.Chunks!.Select(c => c.Source));
        Assert.Equal([0.032787, 12.5], retrieved.Chunks!.Select(c => c.Score));
        Assert.Equal("Rex's owner <Ana> & \"Bo\" — café\nline 2", retrieved.Chunks![0].Text);

        Assert.Empty(StepContext.Parse(ShotsAndNothingRetrieved)!.Chunks!);
        Assert.All(new[] { ShotsOnly, Retrieved, ShotsAndNothingRetrieved }, stored => Assert.Equal(stored, StepContext.Parse(stored)!.ToJson()));
        Assert.Null(StepContext.Parse(null));
    }

    [Fact]
    public void The_retrieval_metrics_read_the_chunks_of_a_stored_context_and_nothing_where_none_was_retrieved()
    {
        Assert.Equal(["facts.jsonl#3", "docs/a.md#0"], RetrievedContext.Chunks(Retrieved)!.Select(c => c.Id));
        Assert.Empty(RetrievedContext.Chunks(ShotsAndNothingRetrieved)!);
        Assert.Null(RetrievedContext.Chunks(ShotsOnly));
        Assert.Null(RetrievedContext.Chunks(null));
        Assert.True(RetrievedContext.AnyRetrieved([new MetricItem("x", ["x"]) { Context = ShotsAndNothingRetrieved }]));
        Assert.False(RetrievedContext.AnyRetrieved([new MetricItem("x", ["x"]) { Context = ShotsOnly }, new MetricItem("x", ["x"])]));
    }

    [Fact]
    public void A_chunk_keeps_its_names_and_order_under_a_reports_naming_policy()
    {
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

        Assert.Equal("""{"id":"a#0","source":"a","score":0.5,"text":"t"}""", JsonSerializer.Serialize(new RetrievedPassage("a#0", "a", "t") { Score = 0.5 }, options));
    }
}
