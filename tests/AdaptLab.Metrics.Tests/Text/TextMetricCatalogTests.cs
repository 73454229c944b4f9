using AdaptLab.Metrics.Text;

namespace AdaptLab.Metrics.Tests.Text;

public class TextMetricCatalogTests
{
    private static readonly MetricItem[] Items =
    [
        new("The dog bit the man.", ["The dog bit the man.", "The dog had bit the man."]),
        new("It wasn't surprising.", ["It was not unexpected.", "No one was surprised."]),
        new("The man had just bitten him.", ["The man bit him first.", "The man had bitten the dog."]),
    ];

    [Theory]
    [InlineData("bleu", MetricShape.Corpus, true)]
    [InlineData("chrf", MetricShape.Corpus, true)]
    [InlineData("chrf_pp", MetricShape.Corpus, true)]
    [InlineData("ter", MetricShape.Corpus, false)]
    [InlineData("rouge1", MetricShape.MeanOfItems, true)]
    [InlineData("rouge2", MetricShape.MeanOfItems, true)]
    [InlineData("rougeL", MetricShape.MeanOfItems, true)]
    [InlineData("rougeLsum", MetricShape.MeanOfItems, true)]
    [InlineData("codexglue_bleu", MetricShape.MeanOfItems, true)]
    [InlineData("squad_em", MetricShape.MeanOfBinary, true)]
    [InlineData("squad_f1", MetricShape.MeanOfItems, true)]
    public void Registered_metrics_score_items(string name, MetricShape shape, bool higherIsBetter)
    {
        var metric = MetricCatalog.Create(name);
        var value = metric.Compute(Items);

        Assert.Equal(name, metric.Name);
        Assert.Equal(shape, metric.Shape);
        Assert.Equal(higherIsBetter, metric.HigherIsBetter);
        Assert.Equal(Items.Length, value.PerItem!.Count);
        Assert.False(double.IsNaN(value.Value));
    }

    [Fact]
    public void Catalog_options_reach_the_metrics()
    {
        var sacrebleuDefault = MetricCatalog.Create("bleu").Compute(Items).Value;
        var options = new MetricOptions(new Dictionary<string, string> { ["tokenize"] = "none", ["smooth"] = "exp", ["lowercase"] = "false", ["effective_order"] = "false" });

        Assert.Equal(48.530827, sacrebleuDefault, 6);
        Assert.Equal(49.1919566, MetricCatalog.Create("bleu", options).Compute(Items).Value, 6);
        var chrfBeta3 = MetricCatalog.Create("chrf", new MetricOptions(new Dictionary<string, string> { ["beta"] = "3", ["char_order"] = "6", ["word_order"] = "0" }));
        Assert.NotEqual(MetricCatalog.Create("chrf").Compute(Items).Value, chrfBeta3.Compute(Items).Value);
        Assert.Equal(
            MetricCatalog.Create("chrf", new MetricOptions(new Dictionary<string, string> { ["word_order"] = "2" })).Compute(Items).Value,
            MetricCatalog.Create("chrf_pp").Compute(Items).Value);
        var stemmed = MetricCatalog.Create("rouge1", new MetricOptions(new Dictionary<string, string> { ["stemmer"] = "true" }));
        Assert.Equal(1.0, stemmed.Compute([MetricItem.Single("running dogs", "runs dog")]).Value);
    }

    [Theory]
    [InlineData("bleu", "tokenize", "moses")]
    [InlineData("bleu", "smooth", "laplace")]
    [InlineData("bleu", "tokenise", "13a")]
    [InlineData("chrf", "beta", "-1")]
    [InlineData("ter", "lowercase", "true")]
    [InlineData("rougeL", "stemmer", "maybe")]
    [InlineData("squad_f1", "strict", "true")]
    public void Bad_options_are_rejected_with_their_name(string metric, string key, string value)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            MetricCatalog.Create(metric, new MetricOptions(new Dictionary<string, string> { [key] = value })));
        Assert.True(error.Message.Contains(key, StringComparison.Ordinal) || error.Message.Contains(value, StringComparison.Ordinal), error.Message);
    }

    [Theory]
    [InlineData("bleu")]
    [InlineData("chrf_pp")]
    [InlineData("ter")]
    public void Summed_item_statistics_reproduce_the_corpus_value(string name)
    {
        var metric = (IAdditiveStatisticsMetric)MetricCatalog.Create(name);
        var rows = metric.ItemStatistics(Items);

        // A bootstrap resample: items 0, 2, 2.
        var totals = new double[rows[0].Length];
        foreach (var i in new[] { 0, 2, 2 })
        {
            for (var j = 0; j < totals.Length; j++)
            {
                totals[j] += rows[i][j];
            }
        }

        Assert.Equal(metric.Compute([Items[0], Items[2], Items[2]]).Value, metric.ValueFromTotals(totals), 12);
    }
}
