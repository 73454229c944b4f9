using AdaptLab.Metrics.Statistics;
using AdaptLab.Tests.Support;

namespace AdaptLab.Metrics.Tests.Statistics;

public class WilsonTests
{
    [Fact]
    public void Matches_statsmodels_proportion_confint_wilson()
    {
        var rng = new Random(11);
        var cases = new List<(int Count, int N, double Alpha)> { (0, 1, 0.05), (1, 1, 0.05), (0, 50, 0.05), (50, 50, 0.1), (7, 9, 0.01) };
        for (var i = 0; i < 40; i++)
        {
            var n = 1 + rng.Next(5000);
            cases.Add((rng.Next(n + 1), n, new[] { 0.01, 0.05, 0.1, 0.2 }[rng.Next(4)]));
        }

        var expected = PythonReference.Run("""
            import json, sys
            from statsmodels.stats.proportion import proportion_confint
            print(json.dumps([proportion_confint(c, n, alpha=a, method="wilson") for c, n, a in json.load(sys.stdin)]))
            """, cases.Select(c => new object[] { c.Count, c.N, c.Alpha }).ToArray());

        for (var i = 0; i < cases.Count; i++)
        {
            var (lower, upper) = Wilson.Interval(cases[i].Count, cases[i].N, 1 - cases[i].Alpha);
            Assert.Equal(expected[i][0].GetDouble(), lower, 1e-12);
            Assert.Equal(expected[i][1].GetDouble(), upper, 1e-12);
        }
    }

    [Fact]
    public void Estimate_uses_wilson_for_accuracy()
    {
        var items = Enumerable.Range(0, 30).Select(i => MetricItem.Single(i % 3 == 0 ? "no" : "yes", "yes")).ToArray();

        var estimate = MetricStatistics.Estimate(MetricCatalog.Create("accuracy"), items);

        var (lower, upper) = Wilson.Interval(20, 30, 0.95);
        Assert.Equal(new MetricEstimate("accuracy", 20.0 / 30, lower, upper, 30, 0.95, "Wilson score interval"), estimate);
    }
}
