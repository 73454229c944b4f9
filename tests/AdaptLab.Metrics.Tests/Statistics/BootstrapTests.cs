using System.Text.Json;
using AdaptLab.Metrics.Statistics;
using AdaptLab.Tests.Support;

namespace AdaptLab.Metrics.Tests.Statistics;

/// <summary>
/// Bootstrap intervals depend on the random resamples, so these tests hand our replicates to
/// scipy's own BCa and percentile code (scipy.stats._resampling, as used by scipy.stats.bootstrap)
/// and compare exactly; one test also compares with scipy.stats.bootstrap's own resampling, loosely.
/// </summary>
public class BootstrapTests
{
    private const double Tolerance = 1e-12;

    /// <summary>Runs scipy's BCa pieces on given replicates; the statistic is a mean or sklearn's macro-F1 over item indices.</summary>
    private const string ScipyBcaScript = """
        import json, sys
        import numpy as np
        from scipy.stats._resampling import _bca_interval, _percentile_along_axis
        from sklearn.metrics import f1_score
        case = json.load(sys.stdin)
        values = np.array(case["values"], dtype=float)
        if case["statistic"] == "mean":
            statistic = lambda x, axis=-1: np.mean(x, axis=axis)
        else:
            gold, pred = np.array(case["gold"]), np.array(case["pred"])
            f1 = lambda idx: f1_score(gold[idx], pred[idx], average="macro", zero_division=0)
            statistic = lambda idx, axis=-1: f1(idx) if np.ndim(idx) == 1 else np.apply_along_axis(f1, axis, idx)
            values = np.arange(len(gold))
        replicates = np.array(case["replicates"])
        alpha = (1 - case["confidence"]) / 2
        a1, a2, a_hat = _bca_interval((values,), statistic, -1, alpha, replicates, None)
        print(json.dumps({
            "levels": [float(a1), float(a2)], "acceleration": float(a_hat),
            "bca": [float(_percentile_along_axis(replicates, a1 * 100)), float(_percentile_along_axis(replicates, a2 * 100))],
            "percentile": [float(np.percentile(replicates, alpha * 100)), float(np.percentile(replicates, (1 - alpha) * 100))],
        }))
        """;

    [Theory]
    [InlineData(30, 0.95, 1)]
    [InlineData(200, 0.9, 2)]
    public void Bca_of_a_mean_matches_scipy_on_the_same_replicates(int n, double confidence, int seed)
    {
        // Exponential scores: skewed, so the acceleration and bias correction are far from 0.
        var rng = new Random(seed);
        var scores = Enumerable.Range(0, n).Select(_ => -Math.Log(1 - rng.NextDouble())).ToArray();
        var items = scores.Select(s => ScoreMetric.Item(s)).ToArray();
        var options = new EstimateOptions(confidence, Resamples: 1000, Seed: seed);
        var replicates = Bootstrap.Replicates(n, options.Resamples, options.Seed, idx => idx.Average(i => scores[i]));

        var expected = PythonReference.Run(ScipyBcaScript, new { statistic = "mean", values = scores, replicates, confidence });

        var jackknife = Bootstrap.Jackknife(n, idx => idx.Average(i => scores[i]));
        var z0 = Bootstrap.BiasCorrection(replicates, scores.Average());
        var acceleration = Bootstrap.Acceleration(jackknife);
        Assert.Equal(expected.GetProperty("acceleration").GetDouble(), acceleration, Tolerance);
        var (low, high) = Bootstrap.BcaLevels(z0, acceleration, (1 - confidence) / 2);
        Assert.Equal(expected.GetProperty("levels")[0].GetDouble(), low, Tolerance);
        Assert.Equal(expected.GetProperty("levels")[1].GetDouble(), high, Tolerance);

        AssertInterval(expected.GetProperty("bca"), MetricStatistics.Estimate(new ScoreMetric(), items, options));
        AssertInterval(expected.GetProperty("percentile"),
            MetricStatistics.Estimate(new ScoreMetric(), items, options with { Interval = BootstrapInterval.Percentile }));
    }

    [Fact]
    public void Bca_of_macro_f1_recomputes_the_metric_and_matches_scipy()
    {
        var rng = new Random(23);
        var gold = Enumerable.Range(0, 120).Select(_ => $"intent{rng.Next(6)}").ToArray();
        var pred = gold.Select(g => rng.NextDouble() < 0.7 ? g : $"intent{rng.Next(7)}").ToArray();
        var items = gold.Zip(pred, (g, p) => MetricItem.Single(p, g)).ToArray();
        var metric = MetricCatalog.Create("macro_f1");
        var options = new EstimateOptions(Resamples: 400, Seed: 9);

        // Macro-F1 resamples within gold labels; the jackknife (and so scipy's BCa on these replicates) leaves one item out as before.
        var strata = Bootstrap.Members(((IResamplableMetric)metric).Strata(items)!.OfUnit);
        var replicates = Bootstrap.Replicates(items.Length, options.Resamples, options.Seed,
            idx => metric.Compute(idx.Select(i => items[i]).ToArray()).Value, strata);

        var expected = PythonReference.Run(ScipyBcaScript,
            new { statistic = "macro_f1", values = Array.Empty<double>(), gold, pred, replicates, confidence = 0.95 });

        var estimate = MetricStatistics.Estimate(metric, items, options);
        AssertInterval(expected.GetProperty("bca"), estimate);
        Assert.StartsWith("bootstrap BCa interval (400 resamples of items stratified by gold label (6 labels), metric recomputed, seed 9)", estimate.Method);
    }

    [Fact]
    public void Bca_agrees_with_scipy_bootstrap_up_to_resampling_noise()
    {
        var rng = new Random(4);
        var scores = Enumerable.Range(0, 80).Select(_ => Math.Pow(rng.NextDouble(), 3)).ToArray();

        var expected = PythonReference.Run("""
            import json, sys
            import numpy as np
            from scipy.stats import bootstrap
            x = np.array(json.load(sys.stdin))
            ci = bootstrap((x,), np.mean, method="BCa", n_resamples=20000, random_state=1).confidence_interval
            print(json.dumps([ci.low, ci.high]))
            """, scores);

        var estimate = MetricStatistics.Estimate(new ScoreMetric(), scores.Select(s => ScoreMetric.Item(s)).ToArray());
        var width = expected[1].GetDouble() - expected[0].GetDouble();

        // With 2000 resamples an endpoint's Monte Carlo error is a few percent of the width.
        Assert.Equal(expected[0].GetDouble(), estimate.Lower, 0.1 * width);
        Assert.Equal(expected[1].GetDouble(), estimate.Upper, 0.1 * width);
    }

    [Fact]
    public void Degenerate_samples_fall_back_to_the_percentile_interval()
    {
        var items = Enumerable.Range(0, 20).Select(_ => ScoreMetric.Item(0.5)).ToArray();

        var estimate = MetricStatistics.Estimate(new ScoreMetric(), items);

        Assert.Equal((0.5, 0.5, 0.5), (estimate.Value, estimate.Lower, estimate.Upper));
        Assert.Contains("BCa undefined", estimate.Method);
    }

    [Fact]
    public void Same_seed_gives_the_same_interval_and_another_seed_another()
    {
        var rng = new Random(8);
        var items = Enumerable.Range(0, 50).Select(_ => ScoreMetric.Item(rng.NextDouble())).ToArray();

        var first = MetricStatistics.Estimate(new ScoreMetric(), items);
        var again = MetricStatistics.Estimate(new ScoreMetric(), items);
        var reseeded = MetricStatistics.Estimate(new ScoreMetric(), items, new EstimateOptions(Seed: 1));

        Assert.Equal(first, again);
        Assert.NotEqual(first.Lower, reseeded.Lower);
    }

    [Fact]
    public void Rejects_bad_options_and_too_few_items()
    {
        var items = new[] { ScoreMetric.Item(1), ScoreMetric.Item(0) };
        Assert.Contains("confidence level", Assert.Throws<ArgumentException>(
            () => MetricStatistics.Estimate(new ScoreMetric(), items, new EstimateOptions(ConfidenceLevel: 95))).Message);
        Assert.Contains("resamples", Assert.Throws<ArgumentException>(
            () => MetricStatistics.Estimate(new ScoreMetric(), items, new EstimateOptions(Resamples: 10))).Message);
        Assert.Contains("at least 2 items", Assert.Throws<ArgumentException>(
            () => MetricStatistics.Estimate(new ScoreMetric(), [ScoreMetric.Item(1)])).Message);
        Assert.Contains("no items", Assert.Throws<ArgumentException>(
            () => MetricStatistics.Estimate(new ScoreMetric(), [])).Message);
    }

    private static void AssertInterval(JsonElement expected, MetricEstimate actual)
    {
        Assert.Equal(expected[0].GetDouble(), actual.Lower, Tolerance);
        Assert.Equal(expected[1].GetDouble(), actual.Upper, Tolerance);
    }
}
