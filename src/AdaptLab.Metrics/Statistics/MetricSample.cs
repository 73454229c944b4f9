namespace AdaptLab.Metrics.Statistics;

/// <summary>
/// What the statistics keep of one variant's items for one metric: its value, and a score per item (a mean of items)
/// or a way to recompute it on any resample of its units (a corpus metric). Built batch by batch by a
/// <see cref="MetricAccumulator"/>, so a million items need a number or a row of counts each, not the items.
/// </summary>
public sealed class MetricSample
{
    internal MetricSample(IMetric metric, int items, double value, double[]? scores, int units, Func<int[], double>? statistic, ResampleStrata? strata)
    {
        Metric = metric;
        Items = items;
        Value = value;
        Scores = scores;
        Units = units;
        Statistic = statistic;
        Strata = strata;
    }

    public IMetric Metric { get; }

    /// <summary>The items the metric judged.</summary>
    public int Items { get; }

    /// <summary>The metric on all of them.</summary>
    public double Value { get; }

    /// <summary>Each item's score, for a metric that is their mean; null for a corpus metric.</summary>
    internal double[]? Scores { get; }

    /// <summary>What a resample draws: the items, or the groups a metric scores them in (pass@k's problems).</summary>
    internal int Units { get; }

    /// <summary>The metric on the units at the given indices (which may repeat); null for a mean of items.</summary>
    internal Func<int[], double>? Statistic { get; }

    internal ResampleStrata? Strata { get; }

    /// <summary>A mean of items from its scores, checked against the metric's shape.</summary>
    /// <exception cref="ArgumentException">A mean of binary outcomes holds a score other than 0 or 1.</exception>
    internal static MetricSample OfScores(IMetric metric, double[] scores)
    {
        for (var i = 0; i < scores.Length; i++)
        {
            if (metric.Shape == MetricShape.MeanOfBinary && scores[i] is not (0 or 1))
            {
                throw new ArgumentException($"metric '{metric.Name}' is a mean of binary outcomes but item {i} scored {scores[i]}");
            }
        }

        return new MetricSample(metric, scores.Length, scores.Length == 0 ? double.NaN : scores.Average(), scores, scores.Length, null, null);
    }
}
