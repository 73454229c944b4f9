namespace AdaptLab.Metrics;

/// <summary>
/// 1 when the prediction equals any reference after normalisation. <c>accuracy</c> is the same
/// metric with whitespace trimming only, the usual reading for classification labels.
/// </summary>
public sealed class ExactMatch(string name, TextNormalization normalization) : IMetric
{
    public string Name { get; } = name;

    public MetricShape Shape => MetricShape.MeanOfBinary;

    public bool HigherIsBetter => true;

    public MetricValue Compute(IReadOnlyList<MetricItem> items)
    {
        var perItem = new double[items.Count];
        var reasons = new string?[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var prediction = normalization.Apply(items[i].Prediction);
            var hit = items[i].References.Any(r => normalization.Apply(r) == prediction);
            perItem[i] = hit ? 1 : 0;
            reasons[i] = hit ? null : $"expected {Quote(items[i].References)}";
        }

        return new MetricValue(items.Count == 0 ? double.NaN : perItem.Average(), perItem, reasons);
    }

    private static string Quote(IReadOnlyList<string> references) =>
        string.Join(" or ", references.Select(r => $"\"{Truncate(r)}\""));

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..77] + "...";
}
