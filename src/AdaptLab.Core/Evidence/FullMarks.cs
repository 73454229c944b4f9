namespace AdaptLab.Core.Evidence;

/// <summary>
/// The failing-item rule, for the ladder's diagnosis and targets and for <c>refine</c>: an item passes a variant only with
/// full marks on the judged metric. Anything short of them is a failure to look at, and so is an item with no score (its
/// call failed, so nothing was scored).
/// </summary>
internal static class FullMarks
{
    /// <summary>A score this close to full marks has them: a sum of floating-point parts may miss the exact value.</summary>
    private const double Tolerance = 1e-9;

    /// <param name="score">The item's score on the judged metric; null where it has none.</param>
    /// <param name="fullScale">The metric's full marks (1, or 100 for BLEU and chrF).</param>
    public static bool Passes(double? score, double fullScale) => score >= fullScale - Tolerance;
}
