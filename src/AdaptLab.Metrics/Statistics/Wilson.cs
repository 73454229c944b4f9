using MathNet.Numerics.Distributions;

namespace AdaptLab.Metrics.Statistics;

/// <summary>
/// Wilson score interval for a binomial proportion, as statsmodels'
/// <c>proportion_confint(method='wilson')</c>. Assumes independent items with one common success
/// probability; unlike the Wald interval it stays inside [0, 1] and keeps near-nominal coverage at
/// small n and proportions near 0 or 1, which is where LLM accuracies often sit.
/// </summary>
public static class Wilson
{
    public const string Method = "Wilson score interval";

    public static (double Lower, double Upper) Interval(int successes, int n, double confidenceLevel)
    {
        var z = Normal.InvCDF(0, 1, 1 - ((1 - confidenceLevel) / 2));
        var z2 = z * z;
        var p = (double)successes / n;
        var denominator = 1 + (z2 / n);
        var centre = (p + (z2 / (2.0 * n))) / denominator;
        var halfWidth = z * Math.Sqrt((p * (1 - p) / n) + (z2 / (4.0 * n * n))) / denominator;
        return (centre - halfWidth, centre + halfWidth);
    }
}
