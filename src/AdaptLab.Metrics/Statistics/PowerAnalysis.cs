using MathNet.Numerics.Distributions;
using MathNet.Numerics.RootFinding;

namespace AdaptLab.Metrics.Statistics;

/// <summary>What a planned experiment can detect: the effect for a given n, or the n for a given effect.</summary>
/// <param name="SampleSize">Items per variant (paired designs: items scored by both variants).</param>
/// <param name="Effect">Difference in proportion, variant minus baseline; NaN where no effect up to a proportion of 1 is detectable.</param>
/// <param name="Alpha">Two-sided significance level.</param>
/// <param name="Power">Probability of detecting the effect when it is real.</param>
/// <param name="Method">The formula used, in words, for the report.</param>
public sealed record PowerPlan(int SampleSize, double Effect, double Alpha, double Power, string Method);

/// <summary>
/// Sample size and minimum detectable effect for two-sided tests at level alpha, from normal
/// approximations; they are rough for n below about 30 or proportions within a few items of 0 or 1.
/// </summary>
public static class PowerAnalysis
{
    private const string TwoProportionsMethod =
        "two-sided z-test of two independent proportions on Cohen's h = 2 asin(sqrt(p2)) - 2 asin(sqrt(p1)), " +
        "power = Phi(h sqrt(n/2) - z) + Phi(-h sqrt(n/2) - z), z = z(1 - alpha/2) (as statsmodels NormalIndPower)";

    private const string PairedMethod =
        "McNemar test, normal approximation (Connor 1987): n = (z(1 - alpha/2) sqrt(psi) + z(power) sqrt(psi - d^2))^2 / d^2, " +
        "psi = share of items where the variants disagree, d = difference in accuracy";

    /// <summary>
    /// Items per group needed to tell <paramref name="target"/> from <paramref name="baseline"/> when
    /// each variant is scored on its own independent sample.
    /// </summary>
    public static PowerPlan TwoProportionsSampleSize(double baseline, double target, double alpha = 0.05, double power = 0.8)
    {
        CheckProportion(baseline, nameof(baseline));
        CheckProportion(target, nameof(target));
        CheckLevels(alpha, power);
        var h = CohensH(target, baseline);
        if (h == 0)
        {
            throw new ArgumentException("target equals baseline: no sample size detects a zero effect");
        }

        var n = TwoProportionsN(Math.Abs(h), alpha, power);
        return new PowerPlan((int)Math.Ceiling(n), target - baseline, alpha, power, TwoProportionsMethod);
    }

    /// <summary>The smallest improvement over <paramref name="baseline"/> that n items per independent group detect.</summary>
    public static PowerPlan TwoProportionsMinimumEffect(double baseline, int nPerGroup, double alpha = 0.05, double power = 0.8)
    {
        CheckProportion(baseline, nameof(baseline));
        CheckLevels(alpha, power);
        CheckN(nPerGroup, 2);
        var h = TwoProportionsMinimumH(nPerGroup, alpha, power);
        var angle = Math.Asin(Math.Sqrt(baseline)) + (h / 2);
        var effect = angle > Math.PI / 2 ? double.NaN : Math.Pow(Math.Sin(angle), 2) - baseline;
        return new PowerPlan(nPerGroup, effect, alpha, power, TwoProportionsMethod);
    }

    /// <summary>
    /// Items needed, each scored by both variants, to detect an accuracy difference of
    /// <paramref name="difference"/> when the variants disagree on a share <paramref name="discordance"/>
    /// of items (estimate it from a pilot run; it must be at least |difference|).
    /// </summary>
    public static PowerPlan PairedBinarySampleSize(double discordance, double difference, double alpha = 0.05, double power = 0.8)
    {
        CheckDiscordance(discordance);
        CheckLevels(alpha, power);
        if (difference == 0 || Math.Abs(difference) > discordance)
        {
            throw new ArgumentException(
                $"difference must be non-zero and at most the discordance {discordance} in size, got {difference}");
        }

        var n = PairedN(discordance, Math.Abs(difference), alpha, power);
        return new PowerPlan((int)Math.Ceiling(n), difference, alpha, power, PairedMethod);
    }

    /// <summary>The smallest accuracy difference n paired items detect at the given discordance.</summary>
    public static PowerPlan PairedBinaryMinimumEffect(double discordance, int n, double alpha = 0.05, double power = 0.8)
    {
        CheckDiscordance(discordance);
        CheckLevels(alpha, power);
        CheckN(n, 1);
        var zAlpha = Normal.InvCDF(0, 1, 1 - (alpha / 2));
        var zPower = Normal.InvCDF(0, 1, power);

        // sqrt(n) d - z_alpha sqrt(psi) - z_power sqrt(psi - d^2) grows with d, so it has one root in (0, psi] if any.
        double Gap(double d) => (Math.Sqrt(n) * d) - (zAlpha * Math.Sqrt(discordance)) - (zPower * Math.Sqrt(discordance - (d * d)));
        var effect = Gap(discordance) < 0 ? double.NaN : Brent.FindRoot(Gap, 0, discordance, 1e-14, 200);
        return new PowerPlan(n, effect, alpha, power, PairedMethod);
    }

    internal static double CohensH(double p2, double p1) => (2 * Math.Asin(Math.Sqrt(p2))) - (2 * Math.Asin(Math.Sqrt(p1)));

    /// <summary>Power of the two-sided two-sample z-test with n per group, both tails counted as statsmodels does.</summary>
    internal static double TwoProportionsPower(double h, double nPerGroup, double alpha)
    {
        var z = Normal.InvCDF(0, 1, 1 - (alpha / 2));
        var shift = h * Math.Sqrt(nPerGroup / 2);
        return Normal.CDF(0, 1, shift - z) + Normal.CDF(0, 1, -shift - z);
    }

    internal static double TwoProportionsN(double h, double alpha, double power)
    {
        // The one-tail closed form is a lower bound; the far tail only adds power, so the root lies within a factor of 2 of it.
        var oneTail = 2 * Math.Pow((Normal.InvCDF(0, 1, 1 - (alpha / 2)) + Normal.InvCDF(0, 1, power)) / h, 2);
        return Brent.FindRoot(n => TwoProportionsPower(h, n, alpha) - power, oneTail / 2, oneTail * 2, 1e-10, 200);
    }

    internal static double TwoProportionsMinimumH(double nPerGroup, double alpha, double power)
    {
        var oneTail = (Normal.InvCDF(0, 1, 1 - (alpha / 2)) + Normal.InvCDF(0, 1, power)) / Math.Sqrt(nPerGroup / 2);
        return Brent.FindRoot(h => TwoProportionsPower(h, nPerGroup, alpha) - power, oneTail / 2, oneTail * 2, 1e-14, 200);
    }

    internal static double PairedN(double discordance, double difference, double alpha, double power)
    {
        var zAlpha = Normal.InvCDF(0, 1, 1 - (alpha / 2));
        var zPower = Normal.InvCDF(0, 1, power);
        var root = (zAlpha * Math.Sqrt(discordance)) + (zPower * Math.Sqrt(discordance - (difference * difference)));
        return root * root / (difference * difference);
    }

    private static void CheckProportion(double p, string name)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentException($"{name} must be a proportion in [0, 1], got {p}");
        }
    }

    private static void CheckDiscordance(double discordance)
    {
        if (!(discordance > 0 && discordance <= 1))
        {
            throw new ArgumentException($"discordance must be in (0, 1], got {discordance}");
        }
    }

    private static void CheckLevels(double alpha, double power)
    {
        if (!(alpha > 0 && alpha < 1))
        {
            throw new ArgumentException($"alpha must be in (0, 1), got {alpha}");
        }

        if (!(power > alpha && power < 1))
        {
            throw new ArgumentException($"power must be in (alpha, 1), got {power}");
        }
    }

    private static void CheckN(int n, int minimum)
    {
        if (n < minimum)
        {
            throw new ArgumentException($"n must be at least {minimum}, got {n}");
        }
    }
}
