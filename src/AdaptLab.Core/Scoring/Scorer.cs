using AdaptLab.Core.Store;
using AdaptLab.Metrics;
using AdaptLab.Metrics.Statistics;

namespace AdaptLab.Core.Scoring;

/// <summary>
/// Scores the variants whose answers changed, once: their items that the model answered (a failed call is an error
/// of the run, never a zero score), read a page at a time, each metric keeping only what its interval needs. What is
/// stored then is frozen: reports and comparisons read the stored scores and never score again.
/// </summary>
internal static class Scorer
{
    private const int PageSize = 2048;

    /// <summary>
    /// Seeded, so re-scoring a run reproduces its intervals exactly. BCa needs a jackknife: one metric
    /// computation per item, quadratic for corpus metrics, so large corpora get percentile intervals.
    /// </summary>
    private static EstimateOptions IntervalsFor(IMetric metric, int items) =>
        metric.Shape == MetricShape.Corpus && items > 1000
            ? EstimateOptions.Default with { Interval = BootstrapInterval.Percentile }
            : EstimateOptions.Default;

    public static void Score(RunStore store, RunInfo run, IEnumerable<string> variants)
    {
        var reader = new MetricItemReader(run.Config);
        foreach (var variant in variants)
        {
            store.ClearScores(run.Id, variant);
            var metrics = run.Config.CreateMetrics().Select(m => new MetricScoring(m)).ToList();
            foreach (var (page, items) in store.AnsweredPages(run.Id, variant, PageSize)
                .Select(page => (page, (IReadOnlyList<MetricItem>)[.. page.Select(p => reader.Read(p.Item, p.Prediction, frozen: null))]))
                .Ahead(2))
            {
                var scores = new List<ScoreRecord>();
                foreach (var metric in metrics)
                {
                    metric.Add(variant, items, [.. page.Select(p => p.Item.Index)], scores);
                }

                store.AddScores(run.Id, scores);
            }

            var results = new List<MetricResult>();
            foreach (var metric in metrics.Where(m => m.Accumulator.Items > 0))
            {
                if (!metric.Applies)
                {
                    store.DeleteScores(run.Id, variant, metric.Metric.Name);
                    continue;
                }

                var sample = metric.Accumulator.Sample();
                store.AddScores(run.Id, metric.DeferredScores(variant));
                var interval = sample.Items >= 2 ? MetricStatistics.Estimate(sample, IntervalsFor(metric.Metric, sample.Items)) : null;
                results.Add(new MetricResult(variant, metric.Metric.Name, sample.Value, interval?.Lower, interval?.Upper, interval?.Method,
                    sample.Items, interval?.Caution));
            }

            store.SaveMetricResults(run.Id, variant, results);
        }
    }

    /// <summary>One metric over one variant's pages: the items it judges, its accumulator, and whether it applies at all.</summary>
    private sealed class MetricScoring(IMetric metric)
    {
        private readonly List<int> deferred = [];

        public IMetric Metric => metric;

        public MetricAccumulator Accumulator { get; } = MetricAccumulator.For(metric);

        /// <summary>False for a scoped metric (retrieval) that none of the pages applied to: it has no value, rather than a zero.</summary>
        public bool Applies { get; private set; } = metric is not IScopedMetric;

        public void Add(string variant, IReadOnlyList<MetricItem> items, int[] itemIndices, List<ScoreRecord> scores)
        {
            var judged = MetricScope.Judged(metric, items);
            if (judged.Count == 0)
            {
                return;
            }

            var batch = judged.Count == items.Count ? items : [.. judged.Select(i => items[i])];
            Applies |= metric is IScopedMetric scoped && scoped.AppliesTo(batch);
            if (Accumulator.Add(batch) is not { } value)
            {
                deferred.AddRange(judged.Select(i => itemIndices[i]));
                return;
            }

            if (value.PerItem is { } perItem)
            {
                for (var i = 0; i < perItem.Count; i++)
                {
                    scores.Add(new ScoreRecord(variant, metric.Name, itemIndices[judged[i]], perItem[i], value.Reasons?[i]));
                }
            }
        }

        /// <summary>The per-item scores of a metric that scores all its items at once, after <see cref="MetricAccumulator.Sample"/>.</summary>
        public IReadOnlyList<ScoreRecord> DeferredScores(string variant) => Accumulator.Deferred?.PerItem is { } perItem
            ? [.. deferred.Select((index, i) => new ScoreRecord(variant, metric.Name, index, perItem[i], Accumulator.Deferred.Reasons?[i]))]
            : [];
    }
}
