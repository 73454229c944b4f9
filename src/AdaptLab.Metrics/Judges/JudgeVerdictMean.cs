using System.Globalization;

namespace AdaptLab.Metrics.Judges;

/// <summary>
/// The mean of a judge's verdicts, one per item: a score's mean (pointwise) or a win rate with ties as halves (pairwise).
/// Each item's prediction is its verdict (<see cref="Items"/>), so the statistics of any per-item metric apply: a
/// bootstrap interval over items.
/// </summary>
public sealed class JudgeVerdictMean(string name) : IMetric
{
    public string Name { get; } = name;

    public MetricShape Shape => MetricShape.MeanOfItems;

    public bool HigherIsBetter => true;

    public MetricValue Compute(IReadOnlyList<MetricItem> items)
    {
        var verdicts = items.Select(i => double.Parse(i.Prediction, CultureInfo.InvariantCulture)).ToList();
        return new MetricValue(verdicts.Count == 0 ? double.NaN : verdicts.Average(), verdicts);
    }

    public static IReadOnlyList<MetricItem> Items(IEnumerable<double> verdicts) =>
        [.. verdicts.Select(v => MetricItem.Single(v.ToString("R", CultureInfo.InvariantCulture), string.Empty))];
}
