namespace AdaptLab.Metrics;

/// <summary>
/// A corpus metric that can prepare its items once and then score any resample of them cheaply.
/// The bootstrap calls the returned function thousands of times (from several threads), so it must
/// equal <c>Compute(items[indices]).Value</c> exactly while skipping the per-call parsing and reasons.
/// </summary>
/// <remarks>
/// A metric over groups of items (pass@k's problems, each with n samples) resamples whole groups: its
/// <see cref="Units"/> is the number of groups and the indices it is given are group indices, since a
/// resample of single items would break a problem's samples apart.
/// </remarks>
public interface IResamplableMetric : IMetric
{
    /// <summary>The metric's value on the resample <paramref name="items"/>'s units at <c>indices</c>; indices may repeat.</summary>
    Func<int[], double> Resampler(IReadOnlyList<MetricItem> items);

    /// <summary>How many units a resample draws from: the items, unless the metric scores groups of them.</summary>
    int Units(IReadOnlyList<MetricItem> items) => items.Count;

    /// <summary>
    /// The strata a resample keeps the sizes of, or null to resample all units together. A metric that
    /// averages over classes needs them: on a few items per class a plain resample leaves classes out,
    /// which moves the average away from the estimate in every replicate.
    /// </summary>
    ResampleStrata? Strata(IReadOnlyList<MetricItem> items) => null;
}
