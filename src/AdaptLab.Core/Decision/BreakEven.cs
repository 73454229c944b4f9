namespace AdaptLab.Core.Decision;

/// <summary>
/// The monthly request volume above which a fine-tuned rung costs less than a prompted one. The fine-tuned rung pays a
/// fixed amount each month (its training spread over <c>amortize_months</c>, plus dedicated hosting) and its own price
/// per request; the prompted rung pays only per request. Below the volume the prompted rung is cheaper.
/// </summary>
/// <param name="RequestsPerMonth">The break-even volume; null when the fine-tuned rung is not cheaper per request, so it never pays off.</param>
/// <param name="QualityDifference">Fine-tuned minus prompted on the primary metric, with its interval, beside the money.</param>
internal sealed record BreakEven(
    string FineTuned,
    string Prompted,
    double FixedPerMonth,
    double FineTunedPer1k,
    double PromptedPer1k,
    double? RequestsPerMonth,
    Lift? QualityDifference)
{
    public static BreakEven Compute(string fineTuned, string prompted, double fixedPerMonth, double fineTunedPer1k, double promptedPer1k, Lift? quality)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fixedPerMonth);
        var saving = (promptedPer1k - fineTunedPer1k) / 1000;
        double? volume = saving <= 0 ? null : fixedPerMonth / saving;
        return new BreakEven(fineTuned, prompted, fixedPerMonth, fineTunedPer1k, promptedPer1k, volume, quality);
    }

    /// <summary>What the fine-tuned rung costs in a month of <paramref name="requests"/> requests.</summary>
    public double FineTunedMonthly(double requests) => FixedPerMonth + (FineTunedPer1k * requests / 1000);

    public double PromptedMonthly(double requests) => PromptedPer1k * requests / 1000;
}
