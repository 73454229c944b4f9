using MathNet.Numerics.Distributions;

namespace AdaptLab.Metrics.Statistics;

/// <summary>Cohen's kappa of two raters on the same items, with its 95% interval.</summary>
/// <param name="N">Items both rated.</param>
public sealed record KappaEstimate(double Kappa, double Lower, double Upper, double Agreement, int N, string Method);

/// <summary>
/// Unweighted Cohen's kappa, as scikit-learn's <c>cohen_kappa_score</c>, with the large-sample interval of statsmodels'
/// <c>cohens_kappa</c> (the variance of Fleiss, Cohen and Everitt 1969 under the observed kappa; a normal interval).
/// Assumes independent items and categorical ratings; the interval is poor for a few dozen items or a kappa near 1.
/// </summary>
public static class CohenKappa
{
    public const string Method = "Cohen's kappa, large-sample interval (Fleiss, Cohen and Everitt 1969)";

    /// <exception cref="ArgumentException">The lists differ in length or are empty.</exception>
    public static KappaEstimate Estimate<T>(IReadOnlyList<T> a, IReadOnlyList<T> b)
        where T : notnull
    {
        if (a.Count != b.Count || a.Count == 0)
        {
            throw new ArgumentException($"kappa needs two equal, non-empty lists of ratings (got {a.Count} and {b.Count})");
        }

        var categories = a.Concat(b).Distinct().ToList();
        var index = categories.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        var k = categories.Count;
        var n = (double)a.Count;
        var p = new double[k, k];
        for (var i = 0; i < a.Count; i++)
        {
            p[index[a[i]], index[b[i]]] += 1 / n;
        }

        var row = Enumerable.Range(0, k).Select(i => Enumerable.Range(0, k).Sum(j => p[i, j])).ToArray();
        var col = Enumerable.Range(0, k).Select(j => Enumerable.Range(0, k).Sum(i => p[i, j])).ToArray();
        var observed = Enumerable.Range(0, k).Sum(i => p[i, i]);
        var expected = Enumerable.Range(0, k).Sum(i => row[i] * col[i]);
        if (expected >= 1)
        {
            // Both raters gave one and the same rating throughout: agreement is perfect and kappa undefined (sklearn: NaN).
            return new KappaEstimate(double.NaN, double.NaN, double.NaN, observed, a.Count, Method);
        }

        var kappa = (observed - expected) / (1 - expected);
        var termA = Enumerable.Range(0, k).Sum(i => p[i, i] * Math.Pow(1 - ((row[i] + col[i]) * (1 - kappa)), 2));
        var termB = 0.0;
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
            {
                termB += i == j ? 0 : p[i, j] * Math.Pow(col[i] + row[j], 2);
            }
        }

        termB *= Math.Pow(1 - kappa, 2);
        var termC = Math.Pow(kappa - (expected * (1 - kappa)), 2);
        var variance = (termA + termB - termC) / Math.Pow(1 - expected, 2) / n;
        var half = Normal.InvCDF(0, 1, 0.975) * Math.Sqrt(Math.Max(variance, 0));
        return new KappaEstimate(kappa, kappa - half, kappa + half, observed, a.Count, Method);
    }
}
