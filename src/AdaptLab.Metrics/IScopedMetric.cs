namespace AdaptLab.Metrics;

/// <summary>
/// A metric that applies only to some variants (retrieval metrics: those with a retrieve step). For the others it
/// has no value at all, rather than a zero.
/// </summary>
public interface IScopedMetric
{
    bool AppliesTo(IReadOnlyList<MetricItem> items);
}
