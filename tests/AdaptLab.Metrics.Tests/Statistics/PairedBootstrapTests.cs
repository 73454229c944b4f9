using AdaptLab.Metrics.Statistics;

namespace AdaptLab.Metrics.Tests.Statistics;

public class PairedBootstrapTests
{
    [Fact]
    public void Identical_variants_differ_by_nothing()
    {
        var rng = new Random(1);
        var items = Enumerable.Range(0, 40).Select(_ => ScoreMetric.Item(rng.NextDouble())).ToArray();

        var comparison = MetricStatistics.Compare(new ScoreMetric(), items, items);

        Assert.Equal((0.0, 0.0, 0.0, 1.0, false), (comparison.Difference, comparison.Lower, comparison.Upper, comparison.PValue, comparison.Significant));
        Assert.StartsWith("paired bootstrap test; 95% paired bootstrap percentile interval (2000 resamples", comparison.Method);
    }

    [Fact]
    public void A_consistent_gain_on_every_item_is_as_significant_as_the_resamples_allow()
    {
        var rng = new Random(2);
        var b = Enumerable.Range(0, 40).Select(_ => rng.NextDouble()).ToArray();

        var comparison = MetricStatistics.Compare(new ScoreMetric(),
            b.Select(x => ScoreMetric.Item(x + 0.1)).ToArray(), b.Select(x => ScoreMetric.Item(x)).ToArray(), new CompareOptions(Resamples: 999));

        Assert.Equal(0.1, comparison.Difference, 1e-12);
        Assert.Equal(1.0 / 1000, comparison.PValue, 1e-15);
        Assert.True(comparison.Significant);
    }

    [Fact]
    public void Swapping_the_variants_negates_the_difference_and_keeps_the_p_value()
    {
        var rng = new Random(3);
        var gold = Enumerable.Range(0, 150).Select(_ => $"c{rng.Next(5)}").ToArray();
        var a = gold.Select(g => MetricItem.Single(rng.NextDouble() < 0.75 ? g : $"c{rng.Next(5)}", g)).ToArray();
        var b = gold.Select(g => MetricItem.Single(rng.NextDouble() < 0.65 ? g : $"c{rng.Next(5)}", g)).ToArray();
        var metric = MetricCatalog.Create("macro_f1");

        var ab = MetricStatistics.Compare(metric, a, b, new CompareOptions(Resamples: 300));
        var ba = MetricStatistics.Compare(metric, b, a, new CompareOptions(Resamples: 300));

        Assert.Equal(metric.Compute(a).Value - metric.Compute(b).Value, ab.Difference, 1e-15);
        Assert.Equal(-ab.Difference, ba.Difference, 1e-15);
        Assert.Equal(-ab.Upper, ba.Lower, 1e-12);
        Assert.Equal(ab.PValue, ba.PValue);
        Assert.True(ab.Lower <= ab.Difference && ab.Difference <= ab.Upper);
    }

    [Fact]
    public void Refuses_variants_that_are_not_paired_item_by_item()
    {
        var a = new[] { MetricItem.Single("x", "gold1"), MetricItem.Single("y", "gold2") };
        var accuracy = MetricCatalog.Create("accuracy");

        Assert.Contains("variant A has 2, variant B 1",
            Assert.Throws<ArgumentException>(() => MetricStatistics.Compare(accuracy, a, a[..1])).Message);
        Assert.Contains("item 0 has different references",
            Assert.Throws<ArgumentException>(() => MetricStatistics.Compare(accuracy, a, [a[1], a[0]])).Message);
    }

    [Fact]
    public void Refuses_a_binary_metric_whose_item_scores_are_not_binary()
    {
        var items = new[] { ScoreMetric.Item(1), ScoreMetric.Item(0.5) };

        var error = Assert.Throws<ArgumentException>(() => MetricStatistics.Compare(new ScoreMetric(MetricShape.MeanOfBinary), items, items));

        Assert.Contains("item 1 scored 0.5", error.Message);
        Assert.Contains("item 1 scored 0.5", Assert.Throws<ArgumentException>(
            () => MetricStatistics.Estimate(new ScoreMetric(MetricShape.MeanOfBinary), items)).Message);
    }
}
