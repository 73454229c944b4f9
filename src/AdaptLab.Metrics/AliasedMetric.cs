namespace AdaptLab.Metrics;

/// <summary>
/// A metric under another name (the task file's <c>as:</c>), so one metric can be measured twice with other options
/// (<c>rouge1</c> and <c>{name: rouge1, stemmer: true, as: rouge1_stemmed}</c>). Scores, targets and reports know it by the
/// alias; it computes exactly as the metric it wraps, resampling, scope and frozen verdicts included.
/// </summary>
internal sealed class AliasedMetric(IMetric inner, string alias) : IResamplableMetric, IReadsItemFields, IScopedMetric, IItemScopedMetric
{
    public IMetric Inner => inner;

    public string Name => alias;

    public MetricShape Shape => inner.Shape;

    public bool HigherIsBetter => inner.HigherIsBetter;

    public IReadOnlyList<string> RequiredFields => (inner as IReadsItemFields)?.RequiredFields ?? [];

    public MetricValue Compute(IReadOnlyList<MetricItem> items) => inner.Compute(Renamed(items));

    public Func<int[], double> Resampler(IReadOnlyList<MetricItem> items)
    {
        var renamed = Renamed(items);
        return inner is IResamplableMetric resamplable ? resamplable.Resampler(renamed) : indices => inner.Compute([.. indices.Select(i => renamed[i])]).Value;
    }

    public int Units(IReadOnlyList<MetricItem> items) => inner is IResamplableMetric resamplable ? resamplable.Units(Renamed(items)) : items.Count;

    public ResampleStrata? Strata(IReadOnlyList<MetricItem> items) => (inner as IResamplableMetric)?.Strata(Renamed(items));

    public (string Field, string Problem)? Check(IReadOnlyDictionary<string, string> fields) => (inner as IReadsItemFields)?.Check(fields);

    public bool AppliesTo(IReadOnlyList<MetricItem> items) => inner is not IScopedMetric scoped || scoped.AppliesTo(Renamed(items));

    public bool Judges(MetricItem item) => inner is not IItemScopedMetric scoped || scoped.Judges(item);

    /// <summary>The items with the verdicts frozen under the alias handed to the metric under its own name.</summary>
    private IReadOnlyList<MetricItem> Renamed(IReadOnlyList<MetricItem> items) => items.All(i => !i.Frozen.ContainsKey(alias))
        ? items
        : [.. items.Select(i => i.Frozen.TryGetValue(alias, out var score)
            ? i with { Frozen = new Dictionary<string, FrozenScore>(i.Frozen) { [inner.Name] = score } }
            : i)];
}
