namespace AdaptLab.Metrics.Structured;

/// <summary><c>json_valid</c>: 1 when the output parses as one JSON value (RFC 8259, no comments or trailing commas).</summary>
public sealed class JsonValid(JsonOutputOptions options) : IMetric
{
    public string Name => "json_valid";

    public MetricShape Shape => MetricShape.MeanOfBinary;

    public bool HigherIsBetter => true;

    public MetricValue Compute(IReadOnlyList<MetricItem> items)
    {
        var perItem = new double[items.Count];
        var reasons = new string?[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            perItem[i] = JsonOutput.TryParse(items[i].Prediction, options, out _, out reasons[i]) ? 1 : 0;
        }

        return new MetricValue(items.Count == 0 ? double.NaN : perItem.Average(), perItem, reasons);
    }
}
