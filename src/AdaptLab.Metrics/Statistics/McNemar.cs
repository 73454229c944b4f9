using MathNet.Numerics.Distributions;

namespace AdaptLab.Metrics.Statistics;

/// <summary>
/// Exact McNemar test for paired binary outcomes, as statsmodels' <c>mcnemar(exact=True)</c>:
/// under H0 each discordant pair is equally likely to favour either variant, so the smaller
/// discordant count is Binomial(b + c, 1/2); the two-sided p-value doubles its lower tail, capped at 1.
/// Only the pairs where the variants disagree carry information; assumes items are independent.
/// </summary>
internal static class McNemar
{
    public const string Method = "exact McNemar test";

    /// <param name="onlyA">Items A got right and B got wrong.</param>
    /// <param name="onlyB">Items B got right and A got wrong.</param>
    public static double PValue(int onlyA, int onlyB)
    {
        var discordant = onlyA + onlyB;
        if (discordant == 0)
        {
            return 1;
        }

        return Math.Min(1, 2 * Binomial.CDF(0.5, discordant, Math.Min(onlyA, onlyB)));
    }
}
