using MathNet.Numerics.Distributions;

namespace AdaptLab.Metrics.Statistics;

/// <summary>
/// Nonparametric bootstrap over items (Efron and Tibshirani 1993): resample n items with
/// replacement, recompute the statistic, and read an interval off the replicates. Assumes the
/// items are independent draws from the population of interest; intervals for very small n
/// (under about 20) or statistics driven by a few items are unreliable.
/// </summary>
internal static class Bootstrap
{
    /// <summary>
    /// The statistic on <paramref name="resamples"/> resamples of n indices. Each resample draws
    /// from its own generator seeded from <paramref name="seed"/>, so the result does not depend on
    /// how the work is spread over threads. With <paramref name="strata"/> (the indices of each stratum,
    /// from <see cref="Members"/>) a resample draws within each stratum as many indices as it holds, so
    /// every stratum keeps its size; the same seed then gives the same indices to every caller, which
    /// keeps a paired comparison paired. The statistic must not keep the indices it is given: they are reused.
    /// </summary>
    public static double[] Replicates(int n, int resamples, int seed, Func<int[], double> statistic, int[][]? strata = null)
    {
        var master = new Random(seed);
        var seeds = Enumerable.Range(0, resamples).Select(_ => master.Next()).ToArray();
        var replicates = new double[resamples];
        // One index buffer a thread, each replicate overwriting it whole: a buffer a replicate put thousands of large
        // arrays through the garbage collector. No more threads than cores: the work is all arithmetic, and each thread
        // beyond them (a pool grown by a run's waits) only held another buffer.
        Parallel.For(0, resamples, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, () => new int[n], (b, _, indices) =>
        {
            var rng = new SeededDraws(seeds[b]);
            if (strata is null)
            {
                for (var i = 0; i < n; i++)
                {
                    indices[i] = rng.Next(n);
                }
            }
            else
            {
                var k = 0;
                foreach (var members in strata)
                {
                    for (var j = 0; j < members.Length; j++)
                    {
                        indices[k++] = members[rng.Next(members.Length)];
                    }
                }
            }

            replicates[b] = statistic(indices);
            return indices;
        }, _ => { });
        return replicates;
    }

    /// <summary>The indices in each stratum, given each index's stratum (numbered from 0).</summary>
    /// <exception cref="ArgumentException">A stratum number is negative or one below the largest has no index.</exception>
    public static int[][] Members(IReadOnlyList<int> stratumOf)
    {
        if (stratumOf.Count == 0 || stratumOf.Min() < 0)
        {
            throw new ArgumentException("strata are numbered from 0, one per index");
        }

        var members = stratumOf.Select((stratum, index) => (stratum, index))
            .GroupBy(p => p.stratum).OrderBy(g => g.Key).Select(g => g.Select(p => p.index).ToArray()).ToArray();
        if (members.Length != stratumOf.Max() + 1)
        {
            throw new ArgumentException("every stratum from 0 to the largest needs at least one index");
        }

        return members;
    }

    /// <summary>The statistic with each item left out in turn.</summary>
    public static double[] Jackknife(int n, Func<int[], double> statistic)
    {
        var values = new double[n];
        Parallel.For(0, n, left =>
        {
            var indices = new int[n - 1];
            for (int i = 0, k = 0; i < n; i++)
            {
                if (i != left)
                {
                    indices[k++] = i;
                }
            }

            values[left] = statistic(indices);
        });
        return values;
    }

    public static (double Lower, double Upper) PercentileInterval(double[] replicates, double confidenceLevel)
    {
        var alpha = (1 - confidenceLevel) / 2;
        var sorted = replicates.Order().ToArray();
        return (Quantile(sorted, alpha), Quantile(sorted, 1 - alpha));
    }

    /// <summary>
    /// BCa interval as scipy's <c>bootstrap(method='BCa')</c>; null where it is undefined (the
    /// replicates are all equal, or the estimate lies outside them so the bias correction is infinite).
    /// </summary>
    public static (double Lower, double Upper)? BcaInterval(
        double[] replicates, double estimate, double[] jackknife, double confidenceLevel)
    {
        var (lowerLevel, upperLevel) = BcaLevels(
            BiasCorrection(replicates, estimate), Acceleration(jackknife), (1 - confidenceLevel) / 2);
        if (!double.IsFinite(lowerLevel) || !double.IsFinite(upperLevel))
        {
            return null;
        }

        var sorted = replicates.Order().ToArray();
        return (Quantile(sorted, lowerLevel), Quantile(sorted, upperLevel));
    }

    /// <summary>z0: the normal quantile of the share of replicates below the estimate, ties counting half.</summary>
    public static double BiasCorrection(double[] replicates, double estimate)
    {
        var below = replicates.Count(r => r < estimate);
        var atOrBelow = replicates.Count(r => r <= estimate);
        return Normal.InvCDF(0, 1, (below + atOrBelow) / (2.0 * replicates.Length));
    }

    /// <summary>a: the skewness of the jackknife values, sum(d^3) / (6 (sum d^2)^1.5) with d = mean - value.</summary>
    public static double Acceleration(double[] jackknife)
    {
        var mean = jackknife.Average();
        double cubes = 0, squares = 0;
        foreach (var value in jackknife)
        {
            var d = mean - value;
            squares += d * d;
            cubes += d * d * d;
        }

        return cubes / (6 * Math.Pow(squares, 1.5));
    }

    /// <summary>The replicate quantiles BCa reads in place of alpha and 1 - alpha (Efron and Tibshirani eq. 14.10).</summary>
    public static (double Lower, double Upper) BcaLevels(double biasCorrection, double acceleration, double alpha)
    {
        double Level(double z)
        {
            var shifted = biasCorrection + z;
            return Normal.CDF(0, 1, biasCorrection + (shifted / (1 - (acceleration * shifted))));
        }

        var zAlpha = Normal.InvCDF(0, 1, alpha);
        return (Level(zAlpha), Level(-zAlpha));
    }

    /// <summary>Linear interpolation between order statistics, numpy's default <c>percentile</c> method.</summary>
    public static double Quantile(double[] sorted, double level)
    {
        var position = level * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        if (below >= sorted.Length - 1)
        {
            return sorted[^1];
        }

        return sorted[below] + ((sorted[below + 1] - sorted[below]) * (position - below));
    }
}
