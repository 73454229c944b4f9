using AdaptLab.Core.Evidence;
using AdaptLab.Metrics;

namespace AdaptLab.Tests.Evidence;

/// <summary>The one home of pair → paired test → Holm, which the run report, <c>compare</c> and the ladder's lifts share.</summary>
public class ComparisonFamilyTests
{
    private static readonly IMetric Exact = new ExactMatch("exact_match", TextNormalization.Strict);

    /// <summary>20 items; the first side answers all of them, the second misses <paramref name="misses"/>.</summary>
    private static (IReadOnlyList<MetricItem> Right, IReadOnlyList<MetricItem> Wrong) Answers(int misses)
    {
        var right = Enumerable.Range(0, 20).Select(i => new MetricItem($"label {i}", [$"label {i}"])).ToList();
        var wrong = right.Select((item, i) => i < misses ? item with { Prediction = "something else" } : item).ToList();
        return (right, wrong);
    }

    [Fact]
    public void Holm_across_the_family_takes_away_a_significance_the_raw_p_value_gives()
    {
        var (right, wrong) = Answers(misses: 6);
        var family = new ComparisonFamily<string>();
        family.Add("better", [Exact], right, wrong);
        family.Add("same", [Exact], right, right);
        family.Add("also same", [Exact], wrong, wrong);

        var rows = family.Adjusted();

        Assert.Equal(new[] { "better", "same", "also same" }, rows.Select(r => r.Key));
        var better = rows[0];
        // Exact McNemar, 6 discordant pairs all one way: 2 × 0.5^6. On its own it would pass at 0.05 ...
        Assert.Equal(0.03125, better.Result.PValue, 12);
        Assert.True(better.Result.PValue < PairedTest.Alpha);
        // ... but it is one of three: Holm multiplies the smallest p by 3.
        Assert.Equal(0.09375, better.AdjustedP, 12);
        Assert.False(better.Significant);
        Assert.Equal(0.3, better.Result.Difference, 12);
        Assert.All(rows.Skip(1), r => Assert.Equal(1.0, r.AdjustedP));
        Assert.All(rows, r => Assert.EndsWith("; Holm-Bonferroni across 3 comparisons", r.Method, StringComparison.Ordinal));
    }

    [Fact]
    public void A_family_of_one_keeps_its_p_value_and_its_significance()
    {
        // The positive control of the test above: the same comparison alone is significant.
        var (right, wrong) = Answers(misses: 6);
        var family = new ComparisonFamily<string>();
        family.Add("better", [Exact], right, wrong);

        var row = Assert.Single(family.Adjusted());

        Assert.Equal(row.Result.PValue, row.AdjustedP);
        Assert.True(row.Significant);
        Assert.EndsWith("; Holm-Bonferroni across 1 comparisons", row.Method, StringComparison.Ordinal);
    }

    [Fact]
    public void A_metric_with_fewer_than_two_pairs_adds_no_member()
    {
        var (right, wrong) = Answers(misses: 1);
        var family = new ComparisonFamily<string>();
        family.Add("one item", [Exact], right.Take(1).ToList(), wrong.Take(1).ToList());
        Assert.Empty(family.Adjusted());

        family.Add("two items", [Exact], right.Take(2).ToList(), wrong.Take(2).ToList());
        Assert.Equal("two items", Assert.Single(family.Adjusted()).Key);
    }

    [Fact]
    public void Discordance_is_measured_only_when_asked_for()
    {
        var (right, wrong) = Answers(misses: 6);
        var family = new ComparisonFamily<string>();
        family.Add("asked", [Exact], right, wrong, discordance: true);
        family.Add("not asked", [Exact], right, wrong);

        var rows = family.Adjusted();

        Assert.Equal(0.3, rows[0].Test.Discordance!.Value, 12);
        Assert.Null(rows[1].Test.Discordance);
    }
}
