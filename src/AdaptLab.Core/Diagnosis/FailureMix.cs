using AdaptLab.Metrics.Statistics;

namespace AdaptLab.Core.Diagnosis;

/// <summary>A rung's failing items by category, each as a share of the rung's items with its Wilson interval.</summary>
/// <param name="Items">The items the rung answered (the denominator of every share).</param>
/// <param name="Measured">Which experiments ran for this rung, in words (the categories the others could not find are shown as such).</param>
/// <param name="Categories">Each failing item's category, by item index.</param>
internal sealed record FailureMix(int Items, IReadOnlyList<FailureShare> Shares, IReadOnlyList<string> Measured, IReadOnlyDictionary<int, FailureCategory> Categories)
{
    public const string Method = Wilson.Method + " (95%) over the rung's items";

    public int Failed => Shares.Sum(s => s.Count);

    public static FailureMix Of(IReadOnlyList<ItemSignals> items, IReadOnlyList<string> measured)
    {
        var shares = Enum.GetValues<FailureCategory>().Select(category =>
        {
            var count = items.Count(i => i.Category == category);
            var (lower, upper) = items.Count == 0 ? (0.0, 1.0) : Wilson.Interval(count, items.Count, 0.95);
            return new FailureShare(category, count, items.Count == 0 ? 0 : (double)count / items.Count, lower, upper);
        }).ToList();
        return new FailureMix(items.Count, shares, measured, items.Where(i => i.Category is not null).ToDictionary(i => i.ItemIndex, i => i.Category!.Value));
    }

    /// <summary>The category with the most failing items, or null when none failed.</summary>
    public FailureShare? Dominant => Shares.Where(s => s.Count > 0).OrderByDescending(s => s.Count).FirstOrDefault();
}

internal sealed record FailureShare(FailureCategory Category, int Count, double Share, double Lower, double Upper);
