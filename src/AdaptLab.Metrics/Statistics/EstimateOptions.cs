namespace AdaptLab.Metrics.Statistics;

public enum BootstrapInterval
{
    /// <summary>The alpha/2 and 1-alpha/2 quantiles of the bootstrap replicates.</summary>
    Percentile,

    /// <summary>
    /// Bias-corrected and accelerated (Efron 1987): percentiles shifted for bias and skew. Its
    /// acceleration needs a jackknife, which for <see cref="MetricShape.Corpus"/> metrics costs n more
    /// metric computations on top of the resamples; prefer <see cref="Percentile"/> for slow metrics on many items.
    /// </summary>
    BCa,
}

/// <param name="ConfidenceLevel">Coverage of the interval, in (0, 1).</param>
/// <param name="Resamples">Bootstrap resamples for <see cref="MetricShape.MeanOfItems"/> and <see cref="MetricShape.Corpus"/> metrics.</param>
/// <param name="Seed">Seeds the resampling so that a report can be reproduced exactly.</param>
/// <param name="Interval">How the bootstrap interval is read off the replicates (proportions always use Wilson).</param>
public sealed record EstimateOptions(
    double ConfidenceLevel = 0.95,
    int Resamples = 2000,
    int Seed = 20240611,
    BootstrapInterval Interval = BootstrapInterval.BCa)
{
    public static readonly EstimateOptions Default = new();

    internal void Validate()
    {
        if (!(ConfidenceLevel > 0 && ConfidenceLevel < 1))
        {
            throw new ArgumentException($"confidence level must be in (0, 1), got {ConfidenceLevel}");
        }

        if (Resamples < 100)
        {
            throw new ArgumentException($"at least 100 bootstrap resamples are needed, got {Resamples}");
        }
    }
}

/// <param name="Alpha">Two-sided significance level; the interval has coverage 1 - Alpha.</param>
/// <param name="Resamples">Paired bootstrap resamples.</param>
/// <param name="Seed">Seeds the resampling so that a report can be reproduced exactly.</param>
public sealed record CompareOptions(double Alpha = 0.05, int Resamples = 2000, int Seed = 20240611)
{
    public static readonly CompareOptions Default = new();

    internal void Validate()
    {
        if (!(Alpha > 0 && Alpha < 1))
        {
            throw new ArgumentException($"alpha must be in (0, 1), got {Alpha}");
        }

        if (Resamples < 100)
        {
            throw new ArgumentException($"at least 100 bootstrap resamples are needed, got {Resamples}");
        }
    }
}
