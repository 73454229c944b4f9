using System.Globalization;

namespace AdaptLab.Metrics.Tests.Statistics;

/// <summary>A metric whose per-item score is the prediction read as a number, so tests can set scores directly.</summary>
internal sealed class ScoreMetric(MetricShape shape = MetricShape.MeanOfItems) : IMetric
{
    public string Name => "score";

    public MetricShape Shape => shape;

    public bool HigherIsBetter => true;

    public static MetricItem Item(double score, string reference = "") =>
        MetricItem.Single(score.ToString("R", CultureInfo.InvariantCulture), reference);

    public MetricValue Compute(IReadOnlyList<MetricItem> items)
    {
        var scores = items.Select(i => double.Parse(i.Prediction, CultureInfo.InvariantCulture)).ToArray();
        return new MetricValue(scores.Length == 0 ? double.NaN : scores.Average(), scores);
    }
}
