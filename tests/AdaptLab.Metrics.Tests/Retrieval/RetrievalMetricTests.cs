using System.Text.Json;
using AdaptLab.Metrics.Retrieval;

namespace AdaptLab.Metrics.Tests.Retrieval;

public sealed class RetrievalMetricTests
{
    private static string Context(params (string Source, string Text)[] chunks) => JsonSerializer.Serialize(new
    {
        chunks = chunks.Select((c, i) => new { id = $"{c.Source}#{i}", source = c.Source, score = 1.0 / (i + 1), text = c.Text }),
        index = "idx-test",
    });

    private static MetricItem Item(string context, string gold, string answer = "x") =>
        new(answer, ["x"]) { Context = context, Fields = new Dictionary<string, string> { ["gold"] = gold } };

    private static IMetric Create(string name, params (string Key, string Value)[] options) =>
        MetricCatalog.Create(name, new MetricOptions(options.ToDictionary(o => o.Key, o => o.Value)));

    [Fact]
    public void Recall_mrr_and_ndcg_count_each_gold_passage_once_at_its_first_chunk()
    {
        // Two gold passages; the first found at rank 2 (twice: the second chunk of it is not counted again), the second at rank 4.
        var context = Context(("a", "Noise."), ("p1", "Rex is a dog"), ("p1", "rex is a   DOG"), ("p2", "Kit is a cat."), ("b", "More noise."));
        var item = Item(context, JsonSerializer.Serialize(new[] { "Sue had a dog. Rex is a dog.", "Kit is a cat." }));

        Assert.Equal(1.0, Create("retrieval_recall", ("gold", "gold")).Compute([item]).Value);
        Assert.Equal(0.5, Create("retrieval_recall", ("gold", "gold"), ("k", "3")).Compute([item]).Value);
        Assert.Equal(0.5, Create("retrieval_mrr", ("gold", "gold")).Compute([item]).Value);
        var ndcg = ((1 / Math.Log2(3)) + (1 / Math.Log2(5))) / (1 + (1 / Math.Log2(3)));
        Assert.Equal(ndcg, Create("retrieval_ndcg", ("gold", "gold")).Compute([item]).Value, 12);
    }

    [Fact]
    public void A_miss_scores_zero_with_a_reason_and_sources_can_be_the_gold()
    {
        var context = Context(("a", "Noise."), ("b", "Other."));
        var missed = Create("retrieval_mrr", ("gold", "gold")).Compute([Item(context, "Rex is a dog.")]);
        Assert.Equal(0, missed.Value);
        Assert.Contains("no gold passage among the 2 chunks", missed.Reasons![0], StringComparison.Ordinal);

        Assert.Equal(0.5, Create("retrieval_mrr", ("gold", "gold"), ("match", "source")).Compute([Item(context, "b")]).Value);
        Assert.Throws<ArgumentException>(() => Create("retrieval_recall"));
        var noGold = (IReadsItemFields)Create("retrieval_recall", ("gold", "gold"));
        Assert.NotNull(noGold.Check(new Dictionary<string, string> { ["gold"] = "[]" }));
        Assert.Null(noGold.Check(new Dictionary<string, string> { ["gold"] = "text" }));
    }

    [Fact]
    public void Retrieval_metrics_apply_only_to_predictions_with_a_retrieve_step()
    {
        var scoped = (IScopedMetric)Create("retrieval_recall", ("gold", "gold"));
        Assert.False(scoped.AppliesTo([new MetricItem("x", ["x"]) { Context = "{\"shots\":[\"t1\"]}" }]));
        Assert.True(scoped.AppliesTo([Item(Context(("a", "t")), "t")]));
    }

    [Fact]
    public void Citations_are_parsed_and_stripped_for_answer_metrics()
    {
        Assert.Equal([1, 3, 2], Citations.Parse("Rex [1, 3] is a dog [2][1]."));
        Assert.Equal("Rex is a dog.", Citations.Strip("Rex [1, 3] is a dog [2]."));
        Assert.Empty(Citations.Parse("Rex is a dog [a]."));
    }

    [Fact]
    public void Citation_support_needs_a_given_chunk_that_holds_the_answers_words()
    {
        var context = Context(("f1", "Sue had a dog named Rex."), ("f2", "Tom had a cat named Kit."));
        var metric = Create("citation_support");
        MetricItem Reply(string reply) => new(Citations.Strip(reply), ["Rex"]) { Context = context, Reply = reply };

        var value = metric.Compute([Reply("Rex [1]"), Reply("Rex [2]"), Reply("Rex"), Reply("Rex [3]"), Reply("The cat was Rex [1].")]);

        Assert.Equal([1.0, 0, 0, 0, 0], value.PerItem!);
        Assert.Contains("missing: rex", value.Reasons![1], StringComparison.Ordinal);
        Assert.Equal("cites no chunk", value.Reasons[2]);
        Assert.Contains("cites [3], but 2 chunks were given", value.Reasons[3], StringComparison.Ordinal);
        Assert.Contains("missing: cat", value.Reasons[4], StringComparison.Ordinal); // min_overlap 1: every content word
        Assert.Equal(1.0, Create("citation_support", ("min_overlap", "0.5")).Compute([Reply("The cat was Rex [1].")]).Value);
    }
}
