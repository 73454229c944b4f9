using AdaptLab.Metrics.Text;

namespace AdaptLab.Metrics.Tests.Text;

/// <summary>
/// Every case of sacrebleu 2.6.0's chrF tests (sacrebleu_chrf.json). The corpus groups run with
/// beta 3 as their settings say; the sentence group with sacrebleu's default beta 2.
/// </summary>
public class SacreBleuChrfTests
{
    private const string File = "sacrebleu_chrf.json";

    public static TheoryData<string, int> Cases => MetricVectors.GroupCases(File);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_sacrebleu(string group, int index)
    {
        var g = MetricVectors.Group(File, group);
        var s = g.GetProperty("settings");
        var options = new ChrfOptions(
            CharOrder: s.GetProperty("char_order").GetInt32(),
            WordOrder: s.GetProperty("word_order").GetInt32(),
            Beta: s.GetProperty("beta").GetDouble(),
            Whitespace: !s.GetProperty("remove_whitespace").GetBoolean(),
            EpsSmoothing: s.GetProperty("eps_smoothing").GetBoolean());
        var tolerance = g.GetProperty("tolerance").GetDouble();
        var c = g.GetProperty("cases")[index];
        var metric = new ChrfMetric(options);

        double actual;
        if (c.TryGetProperty("hypothesis", out var hypothesis))
        {
            var item = new MetricItem(hypothesis.GetString()!, MetricVectors.Strings(c.GetProperty("references")));
            actual = metric.Compute([item]).PerItem![0];
        }
        else
        {
            // The corpus tests pass their reference list as ONE stream: corpus_chrf(hyps, [refs]).
            var hyps = MetricVectors.Strings(c.GetProperty("hypotheses"));
            var refs = MetricVectors.Strings(c.GetProperty("references")[0]);
            actual = metric.Compute(hyps.Select((h, i) => MetricItem.Single(h, refs[i])).ToList()).Value;
        }

        var expected = c.GetProperty("expected_score_0_100").GetDouble();
        Assert.True(Math.Abs(expected - actual) < tolerance, $"expected {expected}, got {actual}");
    }

    [Fact]
    public void Chrf_plus_plus_adds_word_orders_that_reward_word_matches()
    {
        var items = new[] { MetricItem.Single("the cat sat on the mat.", "the cat sat on a mat.") };
        var chrf = new ChrfMetric(new ChrfOptions()).Compute(items).Value;
        var chrfpp = new ChrfMetric(new ChrfOptions(WordOrder: 2)).Compute(items).Value;

        Assert.InRange(chrf, 0, 100);
        Assert.NotEqual(chrf, chrfpp);
    }

    [Fact]
    public void Best_reference_wins_per_sentence()
    {
        var metric = new ChrfMetric(new ChrfOptions());
        var value = metric.Compute([new MetricItem("exactly this", ["something else entirely", "exactly this"])]);
        Assert.Equal(100.0, value.Value, 9);
    }
}
