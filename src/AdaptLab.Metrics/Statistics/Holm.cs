namespace AdaptLab.Metrics.Statistics;

/// <summary>
/// Holm-Bonferroni step-down adjustment, as statsmodels' <c>multipletests(method='holm')</c>.
/// Controls the family-wise error rate under any dependence between the tests, which suits
/// comparisons of several variants on the same items.
/// </summary>
public static class Holm
{
    public const string Method = "Holm-Bonferroni";

    /// <summary>Adjusted p-values, in the order given: the i-th smallest p is multiplied by (m - i + 1), then made monotone and capped at 1.</summary>
    /// <exception cref="ArgumentException">A p-value is outside [0, 1].</exception>
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        for (var i = 0; i < pValues.Count; i++)
        {
            if (!(pValues[i] >= 0 && pValues[i] <= 1))
            {
                throw new ArgumentException($"p-value {i} is {pValues[i]}, outside [0, 1]");
            }
        }

        var order = Enumerable.Range(0, pValues.Count).OrderBy(i => pValues[i]).ToArray();
        var adjusted = new double[pValues.Count];
        var runningMax = 0.0;
        for (var rank = 0; rank < order.Length; rank++)
        {
            runningMax = Math.Max(runningMax, (order.Length - rank) * pValues[order[rank]]);
            adjusted[order[rank]] = Math.Min(1, runningMax);
        }

        return adjusted;
    }

    /// <summary>The comparisons of one family with Holm-adjusted p-values and significance at <paramref name="alpha"/>.</summary>
    public static PairedComparison[] Adjust(IReadOnlyList<PairedComparison> family, double alpha = 0.05)
    {
        var adjusted = Adjust(family.Select(c => c.PValue).ToArray());
        return family
            .Select((c, i) => c with
            {
                PValue = adjusted[i],
                Significant = adjusted[i] < alpha,
                Method = $"{c.Method}; p-value {Method}-adjusted over {family.Count} comparisons",
            })
            .ToArray();
    }
}
