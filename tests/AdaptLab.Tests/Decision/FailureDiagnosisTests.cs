using AdaptLab.Core.Diagnosis;

namespace AdaptLab.Tests.Decision;

/// <summary>Each failure category from the experiments' signals, and the mix's shares with their Wilson intervals.</summary>
public class FailureDiagnosisTests
{
    [Theory]
    [InlineData(true, false, false, false, null)] // passed: no category, whatever else was measured
    [InlineData(false, false, true, false, nameof(FailureCategory.Format))] // an unreadable reply says nothing of knowledge
    [InlineData(false, true, true, true, nameof(FailureCategory.KnowledgeGap))] // the context fixes it, even if a sample passes too
    [InlineData(false, true, false, true, nameof(FailureCategory.Inconsistency))] // a sample or paraphrase passes, the reply does not
    [InlineData(false, true, false, false, nameof(FailureCategory.CapabilityGap))] // nothing passes it: answers that merely disagree are guesses
    public void Each_failing_item_gets_the_category_of_the_first_experiment_that_explains_it(bool passed, bool formatValid, bool withContext, bool sometimes, string? expected)
    {
        // By name: a public test method cannot take Core's internal enum.
        Assert.Equal(expected is null ? null : Enum.Parse<FailureCategory>(expected), new ItemSignals(0, passed, formatValid, withContext, sometimes).Category);
    }

    [Fact]
    public void Without_a_probe_a_valid_wrong_answer_is_a_capability_gap_not_a_guess()
    {
        Assert.Equal(FailureCategory.CapabilityGap, new ItemSignals(0, Passed: false, FormatValid: true, PassesWithContext: null, PassesSometimes: null).Category);
    }

    [Fact]
    public void The_mix_counts_each_category_over_all_of_the_rungs_items_with_Wilson_intervals()
    {
        var signals = new[]
        {
            new ItemSignals(0, false, false, null, null),
            new ItemSignals(1, false, true, true, null),
            new ItemSignals(2, false, true, true, null),
            new ItemSignals(3, true, true, true, true),
        };

        var mix = FailureMix.Of(signals, ["knowledge: the gold context"]);

        Assert.Equal(4, mix.Items);
        Assert.Equal(3, mix.Failed);
        var gap = mix.Shares.Single(s => s.Category == FailureCategory.KnowledgeGap);
        Assert.Equal(0.5, gap.Share);
        // statsmodels: proportion_confint(2, 4, method='wilson') = (0.15003898915214947, 0.8499610108478506)
        Assert.Equal(0.15003898915214947, gap.Lower, 12);
        Assert.Equal(0.8499610108478506, gap.Upper, 12);
        Assert.Equal(FailureCategory.KnowledgeGap, mix.Dominant!.Category);
        Assert.Equal(0, mix.Shares.Single(s => s.Category == FailureCategory.Inconsistency).Count);
        Assert.Equal(new Dictionary<int, FailureCategory> { [0] = FailureCategory.Format, [1] = FailureCategory.KnowledgeGap, [2] = FailureCategory.KnowledgeGap }, mix.Categories);
    }
}
