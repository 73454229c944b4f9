using AdaptLab.Core.Decision;

namespace AdaptLab.Tests.Decision;

/// <summary>The break-even volume: fixed monthly cost over the saving per request.</summary>
public class BreakEvenTests
{
    [Fact]
    public void The_volume_is_the_fixed_monthly_cost_over_the_saving_per_request_and_both_costs_meet_there()
    {
        // 30 a month fixed; prompted 0.05 and fine-tuned 0.02 per 1,000 requests: 0.00003 saved per request.
        var breakEven = BreakEven.Compute("fine-tuned", "prompt", 30, 0.02, 0.05, null);

        Assert.Equal(1_000_000, breakEven.RequestsPerMonth!.Value, 6);
        Assert.Equal(breakEven.PromptedMonthly(1_000_000), breakEven.FineTunedMonthly(1_000_000), 9);
        Assert.True(breakEven.FineTunedMonthly(500_000) > breakEven.PromptedMonthly(500_000));
        Assert.True(breakEven.FineTunedMonthly(2_000_000) < breakEven.PromptedMonthly(2_000_000));
    }

    [Theory]
    [InlineData(0.05, 0.05)]
    [InlineData(0.06, 0.05)]
    public void A_fine_tuned_rung_no_cheaper_per_request_never_pays_for_itself(double fineTunedPer1k, double promptedPer1k)
    {
        Assert.Null(BreakEven.Compute("fine-tuned", "prompt", 30, fineTunedPer1k, promptedPer1k, null).RequestsPerMonth);
    }

    [Fact]
    public void With_no_fixed_cost_the_cheaper_rung_is_cheaper_from_the_first_request()
    {
        Assert.Equal(0, BreakEven.Compute("fine-tuned", "prompt", 0, 0.01, 0.05, null).RequestsPerMonth);
    }

    [Fact]
    public void A_negative_fixed_cost_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BreakEven.Compute("fine-tuned", "prompt", -1, 0.01, 0.05, null));
    }
}
