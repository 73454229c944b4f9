using AdaptLab.Core.Store;
using AdaptLab.Metrics;
using AdaptLab.Metrics.Statistics;

namespace AdaptLab.Core.Evaluation;

/// <summary>
/// Scores every variant of a run on the items whose model call succeeded; a failed call is an
/// error of the run, never a zero score.
/// </summary>
public static class Scorer
{
    /// <summary>
    /// Seeded, so re-scoring a run reproduces its intervals exactly. BCa needs a jackknife: one metric
    /// computation per item, quadratic for corpus metrics, so large corpora get percentile intervals.
    /// </summary>
    private static EstimateOptions IntervalsFor(IMetric metric, int items) =>
        metric.Shape == MetricShape.Corpus && items > 1000
            ? EstimateOptions.Default with { Interval = BootstrapInterval.Percentile }
            : EstimateOptions.Default;

    public static void Score(RunStore store, RunInfo run)
    {
        var runData = RunData.Load(store, run);
        foreach (var variant in runData.Variants)
        {
            var succeeded = runData.Succeeded(variant.Name);
            var metricItems = runData.MetricItems(succeeded, frozen: false);

            var scores = new List<ScoreRecord>();
            var results = new List<MetricResult>();
            foreach (var metric in run.Config.CreateMetrics())
            {
                var judged = MetricScope.Judged(metric, metricItems);
                var items = judged.Count == metricItems.Count ? metricItems : [.. judged.Select(i => metricItems[i])];
                if (items.Count == 0 || (metric is IScopedMetric scoped && !scoped.AppliesTo(items)))
                {
                    continue;
                }

                var value = metric.Compute(items);
                if (value.PerItem is { } perItem)
                {
                    for (var i = 0; i < perItem.Count; i++)
                    {
                        scores.Add(new ScoreRecord(variant.Name, metric.Name, succeeded[judged[i]].ItemIndex, perItem[i], value.Reasons?[i]));
                    }
                }

                var interval = items.Count >= 2 ? MetricStatistics.Estimate(metric, items, IntervalsFor(metric, items.Count), value) : null;
                results.Add(new MetricResult(variant.Name, metric.Name, value.Value, interval?.Lower, interval?.Upper, interval?.Method, items.Count, interval?.Caution));
            }

            store.SaveScores(run.Id, variant.Name, scores, results);
        }
    }
}
