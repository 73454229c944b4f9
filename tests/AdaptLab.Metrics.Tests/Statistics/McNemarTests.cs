using AdaptLab.Metrics.Statistics;
using AdaptLab.Tests.Support;

namespace AdaptLab.Metrics.Tests.Statistics;

public class McNemarTests
{
    private const string StatsmodelsScript = """
        import json, sys
        from statsmodels.stats.contingency_tables import mcnemar
        print(json.dumps([mcnemar([[0, b], [c, 0]], exact=True).pvalue for b, c in json.load(sys.stdin)]))
        """;

    [Fact]
    public void Matches_statsmodels_exact_mcnemar()
    {
        var rng = new Random(3);
        var tables = new List<int[]> { new[] { 0, 0 }, new[] { 5, 5 }, new[] { 0, 1 }, new[] { 0, 30 }, new[] { 400, 520 } };
        for (var i = 0; i < 40; i++)
        {
            tables.Add([rng.Next(200), rng.Next(200)]);
        }

        var expected = PythonReference.Run(StatsmodelsScript, tables);

        for (var i = 0; i < tables.Count; i++)
        {
            AssertRelativelyClose(expected[i].GetDouble(), McNemar.PValue(tables[i][0], tables[i][1]));
        }
    }

    [Fact]
    public void Compare_on_a_binary_metric_uses_mcnemar_on_the_discordant_pairs()
    {
        var rng = new Random(5);
        var gold = Enumerable.Range(0, 300).Select(i => $"label{i % 7}").ToArray();
        var a = gold.Select(g => MetricItem.Single(rng.NextDouble() < 0.8 ? g : "wrong", g)).ToArray();
        var b = gold.Select(g => MetricItem.Single(rng.NextDouble() < 0.7 ? g : "wrong", g)).ToArray();
        var onlyA = Enumerable.Range(0, gold.Length).Count(i => a[i].Prediction == gold[i] && b[i].Prediction != gold[i]);
        var onlyB = Enumerable.Range(0, gold.Length).Count(i => a[i].Prediction != gold[i] && b[i].Prediction == gold[i]);

        var comparison = MetricStatistics.Compare(MetricCatalog.Create("accuracy"), a, b);

        var expected = PythonReference.Run(StatsmodelsScript, new[] { new[] { onlyA, onlyB } })[0].GetDouble();
        AssertRelativelyClose(expected, comparison.PValue);
        Assert.Equal((onlyA - onlyB) / 300.0, comparison.Difference, 1e-15);
        Assert.StartsWith("exact McNemar test; 95% paired bootstrap percentile interval", comparison.Method);
        Assert.True(comparison.Lower < comparison.Difference && comparison.Difference < comparison.Upper);
        Assert.Equal(comparison.PValue < 0.05, comparison.Significant);
    }

    private static void AssertRelativelyClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-10 * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");
}
