namespace AdaptLab.Metrics;

/// <summary>
/// A corpus metric that can prepare its items once and then score any resample of them cheaply.
/// The bootstrap calls the returned function thousands of times (from several threads), so it must
/// equal <c>Compute(items[indices]).Value</c> exactly while skipping the per-call parsing and reasons.
/// </summary>
public interface IResamplableMetric : IMetric
{
    /// <summary>The metric's value on <c>items[indices]</c>; indices may repeat.</summary>
    Func<int[], double> Resampler(IReadOnlyList<MetricItem> items);
}
