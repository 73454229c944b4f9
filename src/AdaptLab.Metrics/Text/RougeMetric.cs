namespace AdaptLab.Metrics.Text;

/// <summary>
/// ROUGE equal to Google's rouge-score (<c>RougeScorer([type], use_stemmer)</c>), on its 0-1
/// scale. Each item's value is the F-measure against its best reference, as
/// <c>score_multi</c> picks it; the metric is their mean.
/// </summary>
public sealed class RougeMetric : IMetric
{
    private readonly bool _useStemmer;

    /// <param name="rougeType">rouge1..rouge9, rougeL or rougeLsum (sentences split on newlines).</param>
    /// <param name="useStemmer">Porter-stem tokens longer than 3 characters, as rouge-score does.</param>
    public RougeMetric(string rougeType, bool useStemmer = false)
    {
        RougeScorer.NgramOrder(rougeType);
        Name = rougeType;
        _useStemmer = useStemmer;
    }

    public string Name { get; }

    public MetricShape Shape => MetricShape.MeanOfItems;

    public bool HigherIsBetter => true;

    public MetricValue Compute(IReadOnlyList<MetricItem> items)
    {
        AdditiveStatistics.RequireReferences(items, Name);
        var scorer = new RougeScorer(Name, _useStemmer);
        var perItem = new double[items.Count];
        var sum = 0.0;
        for (var i = 0; i < items.Count; i++)
        {
            var best = double.NegativeInfinity;
            foreach (var reference in items[i].References)
            {
                best = Math.Max(best, scorer.Score(reference, items[i].Prediction).FMeasure);
            }

            perItem[i] = best;
            sum += best;
        }

        return new MetricValue(items.Count == 0 ? double.NaN : sum / items.Count, perItem);
    }

    /// <summary>Precision, recall and F-measure of one pair; the argument order is rouge-score's.</summary>
    public RougeScore Score(string target, string prediction) =>
        new RougeScorer(Name, _useStemmer).Score(target, prediction);
}
