using AdaptLab.Metrics.Statistics;
using AdaptLab.Tests.Support;

namespace AdaptLab.Metrics.Tests.Statistics;

public class PowerAnalysisTests
{
    private static readonly (double Baseline, double Target, int N, double Alpha, double Power)[] Designs =
    [
        (0.70, 0.75, 500, 0.05, 0.80),
        (0.90, 0.93, 1000, 0.05, 0.90),
        (0.50, 0.40, 80, 0.01, 0.80),
        (0.20, 0.35, 150, 0.10, 0.70),
    ];

    [Fact]
    public void Two_proportions_match_statsmodels_normal_ind_power()
    {
        var expected = PythonReference.Run("""
            import json, sys
            import numpy as np
            from scipy.optimize import brentq
            from statsmodels.stats.power import NormalIndPower, zt_ind_solve_power
            from statsmodels.stats.proportion import proportion_effectsize
            out = []
            for p1, p2, n, alpha, power in json.load(sys.stdin):
                h = proportion_effectsize(p2, p1)
                # statsmodels' solve_power stops at about 1e-7; brentq on its power function pins the root.
                gap = lambda h_, n_: NormalIndPower().power(h_, n_, alpha) - power
                mde_h = brentq(lambda x: gap(x, n), 1e-6, 10, xtol=1e-15)
                out.append({
                    "h": h,
                    "power": NormalIndPower().power(h, n, alpha),
                    "n": brentq(lambda x: gap(abs(h), x), 1, 1e7, xtol=1e-12),
                    "n_solve_power": zt_ind_solve_power(effect_size=h, nobs1=None, alpha=alpha, power=power, ratio=1),
                    "mde_h": mde_h,
                    "mde_h_solve_power": zt_ind_solve_power(effect_size=None, nobs1=n, alpha=alpha, power=power, ratio=1),
                    "mde": np.sin(np.arcsin(np.sqrt(p1)) + mde_h / 2) ** 2 - p1,
                })
            print(json.dumps(out))
            """, Designs.Select(d => new object[] { d.Baseline, d.Target, d.N, d.Alpha, d.Power }).ToArray());

        for (var i = 0; i < Designs.Length; i++)
        {
            var (baseline, target, n, alpha, power) = Designs[i];
            var reference = expected[i];
            var h = PowerAnalysis.CohensH(target, baseline);
            Assert.Equal(reference.GetProperty("h").GetDouble(), h, 1e-14);
            Assert.Equal(reference.GetProperty("power").GetDouble(), PowerAnalysis.TwoProportionsPower(Math.Abs(h), n, alpha), 1e-12);

            var nReference = reference.GetProperty("n").GetDouble();
            Assert.Equal(nReference, PowerAnalysis.TwoProportionsN(Math.Abs(h), alpha, power), 1e-9 * nReference);
            Assert.Equal(reference.GetProperty("n_solve_power").GetDouble(), nReference, 1e-5 * nReference);
            var plan = PowerAnalysis.TwoProportionsSampleSize(baseline, target, alpha, power);
            Assert.Equal((int)Math.Ceiling(nReference), plan.SampleSize);
            Assert.Equal(target - baseline, plan.Effect, 1e-15);

            var mdeH = reference.GetProperty("mde_h").GetDouble();
            Assert.Equal(mdeH, PowerAnalysis.TwoProportionsMinimumH(n, alpha, power), 1e-12);
            Assert.Equal(reference.GetProperty("mde_h_solve_power").GetDouble(), mdeH, 1e-5 * mdeH);
            Assert.Equal(reference.GetProperty("mde").GetDouble(), PowerAnalysis.TwoProportionsMinimumEffect(baseline, n, alpha, power).Effect, 1e-12);
        }
    }

    [Fact]
    public void Paired_sample_size_follows_the_stated_mcnemar_formula()
    {
        var designs = new[] { (0.20, 0.05, 0.05, 0.80), (0.10, 0.03, 0.05, 0.90), (0.35, -0.10, 0.01, 0.80) };

        var expected = PythonReference.Run("""
            import json, sys
            from math import sqrt
            from scipy.stats import norm
            out = []
            for psi, d, alpha, power in json.load(sys.stdin):
                out.append((norm.ppf(1 - alpha / 2) * sqrt(psi) + norm.ppf(power) * sqrt(psi - d * d)) ** 2 / (d * d))
            print(json.dumps(out))
            """, designs.Select(d => new[] { d.Item1, d.Item2, d.Item3, d.Item4 }).ToArray());

        for (var i = 0; i < designs.Length; i++)
        {
            var (psi, d, alpha, power) = designs[i];
            var n = expected[i].GetDouble();
            Assert.Equal(n, PowerAnalysis.PairedN(psi, Math.Abs(d), alpha, power), 1e-9 * n);
            Assert.Equal((int)Math.Ceiling(n), PowerAnalysis.PairedBinarySampleSize(psi, d, alpha, power).SampleSize);

            // The minimum effect inverts the sample size formula.
            var mde = PowerAnalysis.PairedBinaryMinimumEffect(psi, (int)Math.Ceiling(n), alpha, power).Effect;
            Assert.Equal((int)Math.Ceiling(n), PowerAnalysis.PairedN(psi, mde, alpha, power), 1e-6);
            Assert.InRange(mde, 0, Math.Abs(d));
        }
    }

    [Fact]
    public void The_planned_paired_sample_gives_the_exact_mcnemar_test_about_the_planned_power()
    {
        // psi = 0.2, d = 0.05: each item is "only A right" w.p. 0.125 and "only B right" w.p. 0.075.
        var plan = PowerAnalysis.PairedBinarySampleSize(0.2, 0.05);
        var rng = new Random(42);
        const int Trials = 1000;
        var detected = 0;
        for (var t = 0; t < Trials; t++)
        {
            int onlyA = 0, onlyB = 0;
            for (var i = 0; i < plan.SampleSize; i++)
            {
                var u = rng.NextDouble();
                onlyA += u < 0.125 ? 1 : 0;
                onlyB += u is >= 0.125 and < 0.2 ? 1 : 0;
            }

            detected += McNemar.PValue(onlyA, onlyB) < 0.05 ? 1 : 0;
        }

        // The exact test is slightly conservative; 1000 trials give a standard error of about 0.013.
        Assert.InRange(detected / (double)Trials, 0.74, 0.84);
    }

    [Fact]
    public void Reports_no_detectable_effect_when_even_a_perfect_score_would_be_missed()
    {
        Assert.True(double.IsNaN(PowerAnalysis.TwoProportionsMinimumEffect(0.99, 10).Effect));
        Assert.True(double.IsNaN(PowerAnalysis.PairedBinaryMinimumEffect(0.01, 5).Effect));
    }

    [Fact]
    public void Rejects_impossible_designs()
    {
        Assert.Contains("discordance", Assert.Throws<ArgumentException>(() => PowerAnalysis.PairedBinarySampleSize(0.05, 0.1)).Message);
        Assert.Contains("zero effect", Assert.Throws<ArgumentException>(() => PowerAnalysis.TwoProportionsSampleSize(0.5, 0.5)).Message);
        Assert.Contains("baseline", Assert.Throws<ArgumentException>(() => PowerAnalysis.TwoProportionsMinimumEffect(1.5, 100)).Message);
        Assert.Contains("power", Assert.Throws<ArgumentException>(() => PowerAnalysis.TwoProportionsSampleSize(0.5, 0.6, power: 1)).Message);
    }
}
