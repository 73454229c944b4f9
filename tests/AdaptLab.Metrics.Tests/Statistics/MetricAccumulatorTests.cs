using AdaptLab.Metrics.Classification;
using AdaptLab.Metrics.Statistics;

namespace AdaptLab.Metrics.Tests.Statistics;

/// <summary>
/// A metric scored a page at a time, keeping only what its interval needs, must give what it gives on all its items at
/// once: the same value, the same interval to the last bit (the same seeded resamples), the same per-item scores.
/// </summary>
public class MetricAccumulatorTests
{
    private static readonly string[] Labels = ["billing", "card", "refund", "transfer", "other"];

    public static TheoryData<string> Metrics => ["exact_match", "bleu", "chrf", "ter", "macro_f1", "weighted_f1", "micro_f1",
        "macro_f1_open", "field_f1", "aliased_macro_f1", "rouge1"];

    private static IMetric Create(string name) => name switch
    {
        "macro_f1" => new AveragedF1(F1Average.Macro, Labels),
        "weighted_f1" => new AveragedF1(F1Average.Weighted, Labels),
        "micro_f1" => new AveragedF1(F1Average.Micro, Labels),
        "macro_f1_open" => new AveragedF1(F1Average.Macro),
        "aliased_macro_f1" => new AliasedMetric(new AveragedF1(F1Average.Macro, Labels), "f1_again"),
        "field_f1" => MetricCatalog.Create("field_f1", null),
        _ => MetricCatalog.Create(name, null),
    };

    /// <summary>Class labels (with a reply outside them) for the F1s, sentences for the text metrics, JSON for field scores.</summary>
    private static List<MetricItem> Items(string metric, int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            if (metric.Contains("f1", StringComparison.Ordinal) && metric != "field_f1")
            {
                var gold = Labels[random.Next(Labels.Length)];
                var predicted = random.Next(10) switch { < 6 => gold, 6 => "no idea", _ => Labels[random.Next(Labels.Length)] };
                return MetricItem.Single(predicted, gold);
            }

            if (metric == "field_f1")
            {
                var name = Labels[random.Next(Labels.Length)];
                return MetricItem.Single($"{{\"name\": \"{name}\", \"n\": {random.Next(3)}}}", $"{{\"name\": \"{name}\", \"n\": 1}}");
            }

            var words = Enumerable.Range(0, 6 + random.Next(6)).Select(_ => Labels[random.Next(Labels.Length)]).ToArray();
            var hypothesis = words.Select(w => random.Next(4) == 0 ? "x" + w : w);
            return MetricItem.Single(string.Join(' ', hypothesis), string.Join(' ', words));
        })];
    }

    private static (MetricEstimate Estimate, List<MetricValue?> Pages) Paged(IMetric metric, List<MetricItem> items, int pageSize, EstimateOptions options)
    {
        var accumulator = MetricAccumulator.For(metric);
        var pages = items.Chunk(pageSize).Select(page => accumulator.Add(page)).ToList();
        return (MetricStatistics.Estimate(accumulator.Sample(), options), pages);
    }

    [Theory]
    [MemberData(nameof(Metrics))]
    public void Paged_scoring_equals_scoring_all_items_at_once(string name)
    {
        var metric = Create(name);
        var items = Items(name, 1500, seed: 3);
        foreach (var options in new[] { EstimateOptions.Default, EstimateOptions.Default with { Interval = BootstrapInterval.Percentile } })
        {
            var whole = MetricStatistics.Estimate(metric, items, options);
            var (paged, pages) = Paged(metric, items, 256, options);
            Assert.Equal(whole.Value, paged.Value, 12);
            Assert.Equal(whole.Lower, paged.Lower, 12);
            Assert.Equal(whole.Upper, paged.Upper, 12);
            Assert.Equal(whole.Method, paged.Method);
            Assert.Equal(whole.Caution, paged.Caution);
            Assert.Equal(whole.N, paged.N);

            // The per-item scores stored a page at a time are the metric's own on all items.
            var perItem = metric.Compute(items).PerItem;
            var stored = pages.Any(p => p is null) ? null : pages.SelectMany(p => p!.PerItem ?? []).ToList();
            if (perItem is not null && stored is not null)
            {
                Assert.Equal(perItem, stored);
            }
        }
    }

    [Theory]
    [InlineData("macro_f1")]
    [InlineData("bleu")]
    [InlineData("exact_match")]
    public void Pages_that_miss_an_item_are_told_apart(string name)
    {
        // The control: had paging lost or changed one item's answer, the comparison above would see it.
        var metric = Create(name);
        var items = Items(name, 600, seed: 4);
        var whole = MetricStatistics.Estimate(metric, items);
        var changed = items.ToList();
        var item = changed[123];
        changed[123] = item with { Prediction = item.Prediction == item.References[0] ? "zzz" : item.References[0] };
        var (paged, _) = Paged(metric, changed, 100, EstimateOptions.Default);
        Assert.NotEqual(whole.Value, paged.Value);
    }

    [Fact]
    public void A_metric_that_scores_groups_gives_its_per_item_scores_once_it_has_every_item()
    {
        // pass@k-like grouping cannot score a page alone (a page may split a problem), so its scores come with the sample.
        var metric = new GroupedMean();
        var accumulator = MetricAccumulator.For(metric);
        var items = Enumerable.Range(0, 10).Select(i => MetricItem.Single(i % 3 == 0 ? "a" : "b", "a")).ToList();
        Assert.All(items.Chunk(4), page => Assert.Null(accumulator.Add(page)));
        var sample = accumulator.Sample();
        Assert.Equal(items.Count, sample.Items);
        Assert.Equal(metric.Compute(items).PerItem, accumulator.Deferred!.PerItem);
        Assert.Equal(MetricStatistics.Estimate(metric, items).Upper, MetricStatistics.Estimate(sample).Upper);
    }

    [Fact]
    public void No_items_is_refused()
    {
        var accumulator = MetricAccumulator.For(MetricCatalog.Create("exact_match"));
        Assert.Throws<ArgumentException>(() => accumulator.Sample());
    }

    /// <summary>A mean over items that resamples them in groups of two, as pass@k resamples problems.</summary>
    private sealed class GroupedMean : IResamplableMetric
    {
        public string Name => "grouped";

        public MetricShape Shape => MetricShape.MeanOfBinary;

        public bool HigherIsBetter => true;

        public MetricValue Compute(IReadOnlyList<MetricItem> items)
        {
            var perItem = items.Select(i => i.Prediction == i.References[0] ? 1.0 : 0.0).ToArray();
            return new MetricValue(perItem.Average(), perItem);
        }

        public Func<int[], double> Resampler(IReadOnlyList<MetricItem> items) => indices => indices.Average(i => Compute(items).PerItem![i]);

        public int Units(IReadOnlyList<MetricItem> items) => (items.Count + 1) / 2;
    }
}
