namespace AdaptLab.Core.Decision;

/// <summary>A rung against the best cheaper rung on the same items (paired), on the primary metric's own scale.</summary>
/// <param name="AdjustedP">Holm-adjusted across the ladder's comparisons.</param>
/// <param name="Discordance">For a binary metric, the share of items the two rungs disagree on (for the power analysis); null otherwise.</param>
internal sealed record Lift(
    string Variant,
    string Baseline,
    double Difference,
    double Lower,
    double Upper,
    double PValue,
    double AdjustedP,
    int N,
    double? Discordance,
    string Method)
{
    /// <summary>Significantly better: Holm-adjusted p below 0.05 and the difference in the better direction.</summary>
    public bool Significant(bool higherIsBetter) => AdjustedP < 0.05 && (higherIsBetter ? Difference > 0 : Difference < 0);
}
