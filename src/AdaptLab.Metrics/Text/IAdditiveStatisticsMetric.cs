namespace AdaptLab.Metrics.Text;

/// <summary>
/// A corpus metric whose value is a function of per-item statistics that add up (n-gram match
/// counts, edit counts). A bootstrap can then resample items by summing their rows and calling
/// <see cref="ValueFromTotals"/>, without tokenizing anything again.
/// </summary>
public interface IAdditiveStatisticsMetric : IResamplableMetric
{
    /// <summary>One row of statistics per item, in the order of the items.</summary>
    double[][] ItemStatistics(IReadOnlyList<MetricItem> items);

    /// <summary>The corpus value of items whose rows sum to <paramref name="totals"/>.</summary>
    double ValueFromTotals(ReadOnlySpan<double> totals);

    Func<int[], double> IResamplableMetric.Resampler(IReadOnlyList<MetricItem> items)
    {
        var rows = ItemStatistics(items);
        var width = rows.Length == 0 ? 0 : rows[0].Length;
        return indices =>
        {
            var totals = new double[width];
            foreach (var i in indices)
            {
                var row = rows[i];
                for (var j = 0; j < width; j++)
                {
                    totals[j] += row[j];
                }
            }

            return ValueFromTotals(totals);
        };
    }
}

/// <summary>Turns one item's prediction and references into its row of additive statistics.</summary>
internal interface IItemStatistics
{
    int Width { get; }

    void Extract(string hypothesis, IReadOnlyList<string> references, Span<double> row);
}

internal static class AdditiveStatistics
{
    /// <summary>The rows of <paramref name="items"/>, each item needing at least one reference.</summary>
    public static double[][] Rows(IReadOnlyList<MetricItem> items, IItemStatistics extractor, string metric)
    {
        RequireReferences(items, metric);
        var rows = new double[items.Count][];
        for (var i = 0; i < items.Count; i++)
        {
            rows[i] = new double[extractor.Width];
            extractor.Extract(items[i].Prediction, items[i].References, rows[i]);
        }

        return rows;
    }

    /// <summary>The corpus value from the summed rows, with each item's own (sentence) value per item.</summary>
    public static MetricValue Corpus(IAdditiveStatisticsMetric metric, double[][] rows, Func<double[], double> sentenceValue) =>
        rows.Length == 0
            ? new MetricValue(double.NaN, [])
            : new MetricValue(metric.ValueFromTotals(Sum(rows, rows[0].Length)), rows.Select(sentenceValue).ToArray());

    public static double[] Sum(double[][] rows, int width)
    {
        var totals = new double[width];
        foreach (var row in rows)
        {
            for (var j = 0; j < width; j++)
            {
                totals[j] += row[j];
            }
        }

        return totals;
    }

    public static void RequireReferences(IReadOnlyList<MetricItem> items, string metric)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].References.Count == 0)
            {
                throw new ArgumentException($"{metric}: item {i} has no reference; it needs at least one");
            }
        }
    }
}
