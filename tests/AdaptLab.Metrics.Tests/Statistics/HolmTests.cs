using AdaptLab.Metrics.Statistics;
using AdaptLab.Tests.Support;

namespace AdaptLab.Metrics.Tests.Statistics;

public class HolmTests
{
    [Fact]
    public void Matches_statsmodels_multipletests_holm()
    {
        var rng = new Random(19);
        var families = new List<double[]> { new[] { 0.01, 0.01, 0.04 }, new[] { 1.0 }, new[] { 0.0, 0.5, 0.012, 0.013, 0.2 } };
        for (var i = 0; i < 20; i++)
        {
            families.Add(Enumerable.Range(0, 1 + rng.Next(12)).Select(_ => Math.Pow(rng.NextDouble(), 3)).ToArray());
        }

        var expected = PythonReference.Run("""
            import json, sys
            from statsmodels.stats.multitest import multipletests
            out = []
            for p in json.load(sys.stdin):
                reject, adjusted, _, _ = multipletests(p, alpha=0.05, method="holm")
                out.append({"adjusted": adjusted.tolist(), "reject": reject.tolist()})
            print(json.dumps(out))
            """, families);

        for (var f = 0; f < families.Count; f++)
        {
            var adjusted = Holm.Adjust(families[f]);
            var reference = expected[f].GetProperty("adjusted").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            Assert.Equal(reference.Length, adjusted.Length);
            for (var i = 0; i < adjusted.Length; i++)
            {
                Assert.Equal(reference[i], adjusted[i], 1e-15);
            }

            var comparisons = families[f].Select(p => new PairedComparison("m", 0, 0, 0, 0, 0, p, p < 0.05, 10, "test")).ToArray();
            var rejected = Holm.Adjust(comparisons, 0.05).Select(c => c.Significant);
            Assert.Equal(expected[f].GetProperty("reject").EnumerateArray().Select(e => e.GetBoolean()), rejected);
        }
    }

    [Fact]
    public void Adjusted_comparisons_say_so_in_their_method()
    {
        var adjusted = Holm.Adjust([new PairedComparison("accuracy", 0.8, 0.7, 0.1, 0.02, 0.18, 0.02, true, 100, "exact McNemar test")], 0.05);

        Assert.Equal("exact McNemar test; p-value Holm-Bonferroni-adjusted over 1 comparisons", adjusted[0].Method);
    }

    [Fact]
    public void Rejects_p_values_outside_the_unit_interval()
    {
        Assert.Contains("p-value 1 is 1.5", Assert.Throws<ArgumentException>(() => Holm.Adjust([0.1, 1.5])).Message);
        Assert.Throws<ArgumentException>(() => Holm.Adjust([double.NaN]));
    }
}
