using AdaptLab.Metrics.Code;
using AdaptLab.Tests.Support;

namespace AdaptLab.Metrics.Tests.Code;

public class PassAtKEstimatorTests
{
    [Theory]
    [InlineData(10, 3, 1, 0.3)]
    [InlineData(5, 2, 3, 0.9)] // 1 - C(3,3)/C(5,3) = 1 - 1/10
    [InlineData(3, 1, 2, 2.0 / 3)] // 1 - C(2,2)/C(3,2)
    [InlineData(5, 0, 1, 0.0)]
    [InlineData(5, 0, 5, 0.0)]
    [InlineData(5, 5, 5, 1.0)]
    [InlineData(4, 2, 3, 1.0)] // fewer failures than draws: some draw must pass
    [InlineData(1, 1, 1, 1.0)]
    public void Matches_exact_binomial_values(int n, int c, int k, double expected) =>
        Assert.Equal(expected, PassAtKEstimator.Estimate(n, c, k), 1e-15);

    [Fact]
    public void Matches_the_human_eval_formula_and_exact_fractions_computed_in_python()
    {
        int[][] cases = [.. from n in new[] { 1, 2, 7, 20, 200 }
                            from c in new[] { 0, 1, n / 3, n / 2, n - 1, n }.Where(c => c >= 0).Distinct()
                            from k in new[] { 1, 2, 5, 10, 100 }.Where(k => k <= n)
                            select new[] { n, c, k }];
        // human-eval's estimate_pass_at_k without numpy, and the exact ratio of binomials as a fraction.
        const string script = """
            import json, math, sys
            from fractions import Fraction
            out = []
            for n, c, k in json.load(sys.stdin):
                product = 1.0 if n - c < k else 1.0 - math.prod(1.0 - k / i for i in range(n - c + 1, n + 1))
                exact = 1 - Fraction(math.comb(n - c, k), math.comb(n, k))
                out.append([product, float(exact)])
            print(json.dumps(out))
            """;
        var reference = PythonReference.Run(script, cases);

        for (var i = 0; i < cases.Length; i++)
        {
            var (n, c, k) = (cases[i][0], cases[i][1], cases[i][2]);
            var actual = PassAtKEstimator.Estimate(n, c, k);
            Assert.Equal(reference[i][0].GetDouble(), actual, 1e-14);
            Assert.Equal(reference[i][1].GetDouble(), actual, 1e-12);
        }
    }

    [Theory]
    [InlineData(0, 0, 1)]
    [InlineData(5, 6, 1)]
    [InlineData(5, -1, 1)]
    [InlineData(5, 2, 0)]
    [InlineData(5, 2, 6)]
    public void Rejects_inconsistent_counts(int n, int c, int k) =>
        Assert.Throws<ArgumentException>(() => PassAtKEstimator.Estimate(n, c, k));
}
