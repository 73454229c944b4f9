using AdaptLab.Metrics.Text;

namespace AdaptLab.Metrics.Statistics;

/// <summary>
/// Scores a variant's items batch by batch and keeps only what its <see cref="MetricSample"/> needs: a score per item
/// for a mean of items, a row of counts per item for BLEU, chrF and TER, two label numbers per item for F1. A metric
/// whose value needs all its items at once (grouped samples, field scores) keeps the items.
/// </summary>
public abstract class MetricAccumulator
{
    protected MetricAccumulator(IMetric metric) => Metric = metric;

    public IMetric Metric { get; }

    /// <summary>The items added so far.</summary>
    public int Items { get; private set; }

    /// <summary>The accumulator for <paramref name="metric"/>, by what its value needs.</summary>
    public static MetricAccumulator For(IMetric metric)
    {
        var own = metric is AliasedMetric alias ? alias.Inner : metric;
        return own switch
        {
            IAccumulatingMetric accumulating => accumulating.CreateAccumulator(metric),
            IAdditiveStatisticsMetric additive => new RowsAccumulator(metric, additive),
            IResamplableMetric or { Shape: MetricShape.Corpus } => new ItemsAccumulator(metric),
            _ => new ScoresAccumulator(metric),
        };
    }

    /// <summary>
    /// The per-item scores and reasons of every item added, for a metric that can only score them all at once (pass@k
    /// groups a problem's samples, which one batch may split); set by <see cref="Sample"/>.
    /// </summary>
    public MetricValue? Deferred { get; protected set; }

    /// <summary>Adds the next items the metric judges.</summary>
    /// <returns>
    /// Their per-item scores and reasons, as the metric computes them, to store (no per-item scores for a class average);
    /// null where they come with <see cref="Deferred"/>.
    /// </returns>
    public MetricValue? Add(IReadOnlyList<MetricItem> batch)
    {
        Items += batch.Count;
        return Keep(batch);
    }

    /// <summary>What the statistics need of every item added.</summary>
    /// <exception cref="ArgumentException">No item was added.</exception>
    public MetricSample Sample() => Items == 0
        ? throw new ArgumentException($"cannot estimate '{Metric.Name}' on no items")
        : Build();

    protected abstract MetricValue? Keep(IReadOnlyList<MetricItem> batch);

    protected abstract MetricSample Build();

    /// <summary>A mean of per-item scores.</summary>
    private sealed class ScoresAccumulator(IMetric metric) : MetricAccumulator(metric)
    {
        private readonly List<double> scores = [];

        protected override MetricValue Keep(IReadOnlyList<MetricItem> batch)
        {
            var value = Metric.Compute(batch);
            if (value.PerItem is not { } perItem || perItem.Count != batch.Count)
            {
                throw new ArgumentException($"metric '{Metric.Name}' has shape {Metric.Shape} but gave no per-item score for each of the {batch.Count} items");
            }

            scores.AddRange(perItem);
            return value;
        }

        protected override MetricSample Build() => MetricSample.OfScores(Metric, [.. scores]);
    }

    /// <summary>A corpus metric of additive per-item statistics: its rows, summed over any resample.</summary>
    private sealed class RowsAccumulator(IMetric metric, IAdditiveStatisticsMetric additive) : MetricAccumulator(metric)
    {
        private readonly List<double[]> rows = [];

        protected override MetricValue Keep(IReadOnlyList<MetricItem> batch)
        {
            rows.AddRange(additive.ItemStatistics(batch));
            return Metric.Compute(batch);
        }

        protected override MetricSample Build()
        {
            var width = rows[0].Length;
            var all = rows.ToArray();
            double Statistic(IEnumerable<int> indices)
            {
                var totals = new double[width];
                foreach (var i in indices)
                {
                    for (var j = 0; j < width; j++)
                    {
                        totals[j] += all[i][j];
                    }
                }

                return additive.ValueFromTotals(totals);
            }

            return new MetricSample(Metric, all.Length, Statistic(Enumerable.Range(0, all.Length)), null, all.Length, Statistic, null);
        }
    }

    /// <summary>Any other metric: the items themselves, as the metric's resampler or a recomputation takes them.</summary>
    private sealed class ItemsAccumulator(IMetric metric) : MetricAccumulator(metric)
    {
        private readonly List<MetricItem> items = [];

        protected override MetricValue? Keep(IReadOnlyList<MetricItem> batch)
        {
            items.AddRange(batch);
            return null;
        }

        protected override MetricSample Build()
        {
            var value = Deferred = Metric.Compute(items);
            if (Metric.Shape != MetricShape.Corpus)
            {
                var perItem = value.PerItem is { } p && p.Count == items.Count
                    ? p.ToArray()
                    : throw new ArgumentException($"metric '{Metric.Name}' has shape {Metric.Shape} but gave no per-item score for each of the {items.Count} items");
                var sample = MetricSample.OfScores(Metric, perItem);
                return new MetricSample(Metric, items.Count, value.Value, sample.Scores, items.Count, null, null);
            }

            var resamplable = Metric as IResamplableMetric;
            var units = resamplable?.Units(items) ?? items.Count;
            Func<int[], double> statistic = resamplable is not null
                ? resamplable.Resampler(items)
                : indices => Metric.Compute([.. indices.Select(i => items[i])]).Value;
            return new MetricSample(Metric, items.Count, value.Value, null, units, statistic, resamplable?.Strata(items));
        }
    }
}

/// <summary>A metric with its own compact <see cref="MetricAccumulator"/> (F1 keeps label numbers, not items).</summary>
internal interface IAccumulatingMetric
{
    /// <param name="named">The metric as the task names it (itself, or an alias of it).</param>
    MetricAccumulator CreateAccumulator(IMetric named);
}
