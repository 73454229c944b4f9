using AdaptLab.Metrics.Text;

namespace AdaptLab.Metrics.Tests.Text;

/// <summary>Every case of sacrebleu 2.6.0's TER tests (sacrebleu_ter.json): defaults, x100.</summary>
public class SacreBleuTerTests
{
    private const string File = "sacrebleu_ter.json";

    public static TheoryData<string, int> Cases => MetricVectors.GroupCases(File);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_sacrebleu(string group, int index)
    {
        var g = MetricVectors.Group(File, group);
        var c = g.GetProperty("cases")[index];
        var hyps = MetricVectors.Strings(c.GetProperty("hypotheses"));
        var refs = MetricVectors.Strings(c.GetProperty("references")[0]);
        var metric = new TerMetric(new TerOptions());

        var actual = metric.Compute(hyps.Select((h, i) => MetricItem.Single(h, refs[i])).ToList()).Value;

        var expected = c.GetProperty("expected_score_0_100").GetDouble();
        Assert.True(Math.Abs(expected - actual) < g.GetProperty("tolerance").GetDouble(), $"expected {expected}, got {actual}");
    }

    [Fact]
    public void Ter_is_case_insensitive_unless_asked()
    {
        var items = new[] { MetricItem.Single("The Cat", "the cat") };
        Assert.Equal(0.0, new TerMetric(new TerOptions()).Compute(items).Value);
        Assert.Equal(100.0, new TerMetric(new TerOptions(CaseSensitive: true)).Compute(items).Value);
    }

    [Fact]
    public void Normalisation_and_punctuation_removal_change_the_words_compared()
    {
        var items = new[] { MetricItem.Single("hello, world!", "hello world") };
        Assert.Equal(100.0, new TerMetric(new TerOptions()).Compute(items).Value);
        Assert.Equal(0.0, new TerMetric(new TerOptions(NoPunct: true)).Compute(items).Value);
        Assert.Equal(100.0, new TerMetric(new TerOptions(Normalized: true)).Compute(items).Value);
    }
}
