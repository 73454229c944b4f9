using AdaptLab.Metrics.Statistics;

namespace AdaptLab.Metrics.Tests.Statistics;

/// <summary>
/// The paired bootstrap test has no closed-form reference, so its calibration is checked by simulation:
/// under a true null it rejects at close to alpha, and it rejects a known effect.
/// </summary>
public class BootstrapCalibrationTests
{
    private const int Simulations = 1000;
    private const int Items = 60;
    private const double Alpha = 0.05;

    [Fact]
    public void Under_a_true_null_the_rejection_rate_stays_within_the_binomial_band()
    {
        var rejections = Rejections(effect: 0);

        // Exact binomial 99.9% band around Simulations * Alpha = 50: a calibrated test lands outside it once in a thousand seeds.
        var (low, high) = BinomialBand(Simulations, Alpha, 0.001);
        Assert.InRange(rejections, low, high);
    }

    [Fact]
    public void A_known_effect_is_rejected_at_about_its_theoretical_power()
    {
        // Per-item differences are N(0.6, 2): the paired z-test's power at n = 60 is about 0.9.
        var rejections = Rejections(effect: 0.6);

        Assert.InRange(rejections, 0.8 * Simulations, Simulations);
    }

    [Fact]
    public void The_band_check_itself_fails_an_uncalibrated_rate()
    {
        // Positive control for the band: a test that rejected at twice alpha would be caught.
        var (low, high) = BinomialBand(Simulations, Alpha, 0.001);
        Assert.False(2 * Alpha * Simulations >= low && 2 * Alpha * Simulations <= high);
        Assert.False(Alpha / 2 * Simulations >= low && Alpha / 2 * Simulations <= high);
    }

    private static int Rejections(double effect)
    {
        var metric = new ScoreMetric(MetricShape.MeanOfItems);
        var rejections = 0;
        for (var s = 0; s < Simulations; s++)
        {
            var random = new Random(1000 + s);
            var a = new MetricItem[Items];
            var b = new MetricItem[Items];
            for (var i = 0; i < Items; i++)
            {
                // Items differ in difficulty; both variants see the same item, so the pairing matters.
                var difficulty = 3 * Gaussian(random);
                a[i] = ScoreMetric.Item(difficulty + effect + Gaussian(random));
                b[i] = ScoreMetric.Item(difficulty + Gaussian(random));
            }

            var result = MetricStatistics.Compare(metric, a, b, new CompareOptions(Alpha, Resamples: 999, Seed: s));
            rejections += result.PValue < Alpha ? 1 : 0;
        }

        return rejections;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>The central binomial interval holding at least 1 - <paramref name="outside"/> of the mass.</summary>
    private static (int Low, int High) BinomialBand(int n, double p, double outside)
    {
        var pmf = new double[n + 1];
        for (var k = 0; k <= n; k++)
        {
            pmf[k] = Math.Exp(LogChoose(n, k) + (k * Math.Log(p)) + ((n - k) * Math.Log(1 - p)));
        }

        int low = 0, high = n;
        for (double tail = 0; tail + pmf[low] <= outside / 2; low++)
        {
            tail += pmf[low];
        }

        for (double tail = 0; tail + pmf[high] <= outside / 2; high--)
        {
            tail += pmf[high];
        }

        return (low, high);
    }

    private static double LogChoose(int n, int k)
    {
        var sum = 0.0;
        for (var i = 1; i <= k; i++)
        {
            sum += Math.Log(n - k + i) - Math.Log(i);
        }

        return sum;
    }
}
