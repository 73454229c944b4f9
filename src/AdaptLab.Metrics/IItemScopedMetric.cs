namespace AdaptLab.Metrics;

/// <summary>
/// A metric that judges only some items: <c>tool_name_valid</c> and <c>tool_args_valid</c> judge the calls a model
/// made, so an item without a call has no score, rather than a pass that says nothing. Its value, interval and paired
/// comparisons are over the items it judges, and their count is reported with it.
/// </summary>
public interface IItemScopedMetric
{
    bool Judges(MetricItem item);
}

/// <summary>Which items a metric judges: all, unless it is an <see cref="IItemScopedMetric"/>.</summary>
public static class MetricScope
{
    /// <summary>The positions of the items <paramref name="metric"/> judges.</summary>
    public static IReadOnlyList<int> Judged(IMetric metric, IReadOnlyList<MetricItem> items) =>
        metric is IItemScopedMetric scoped ? [.. Enumerable.Range(0, items.Count).Where(i => scoped.Judges(items[i]))] : [.. Enumerable.Range(0, items.Count)];

    /// <summary>The pairs (same position in <paramref name="a"/> and <paramref name="b"/>) that <paramref name="metric"/> judges on both sides.</summary>
    public static (IReadOnlyList<MetricItem> A, IReadOnlyList<MetricItem> B) Pairs(IMetric metric, IReadOnlyList<MetricItem> a, IReadOnlyList<MetricItem> b)
    {
        if (metric is not IItemScopedMetric scoped)
        {
            return (a, b);
        }

        var both = Enumerable.Range(0, Math.Min(a.Count, b.Count)).Where(i => scoped.Judges(a[i]) && scoped.Judges(b[i])).ToList();
        return ([.. both.Select(i => a[i])], [.. both.Select(i => b[i])]);
    }
}
