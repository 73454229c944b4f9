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

internal static class AdditiveStatistics
{
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
