namespace AdaptLab.Metrics.Text;

/// <summary>
/// Corpus BLEU equal to sacrebleu 2.6.0 (<c>sacrebleu.corpus_bleu</c>), on sacrebleu's 0-100 scale.
/// Each item's references are its reference set (sacrebleu's streams transposed). An empty
/// reference string counts as a reference of length 0. <see cref="MetricValue.PerItem"/> holds
/// sentence BLEU with the same settings but effective order on, as <c>sacrebleu.sentence_bleu</c>.
/// </summary>
public sealed class BleuMetric : IAdditiveStatisticsMetric
{
    private readonly BleuOptions _options;

    public BleuMetric(BleuOptions options, string name = "bleu")
    {
        options.Validate();
        _options = options;
        Name = name;
    }

    public string Name { get; }

    public MetricShape Shape => MetricShape.Corpus;

    public bool HigherIsBetter => true;

    public MetricValue Compute(IReadOnlyList<MetricItem> items) =>
        AdditiveStatistics.Corpus(this, ItemStatistics(items), row => Score(row, effectiveOrder: true));

    public double[][] ItemStatistics(IReadOnlyList<MetricItem> items) =>
        AdditiveStatistics.Rows(items, new BleuStatistics(_options), Name);

    public double ValueFromTotals(ReadOnlySpan<double> totals) => Score(totals, _options.EffectiveOrder);

    private double Score(ReadOnlySpan<double> row, bool effectiveOrder)
    {
        var order = _options.MaxNgramOrder;
        if (row.Length != 2 + (2 * order))
        {
            throw new ArgumentException($"BLEU statistics must have {2 + (2 * order)} values, got {row.Length}");
        }

        return BleuScore.Compute(
            row.Slice(2, order), row.Slice(2 + order, order), row[0], row[1],
            _options.Smooth, _options.SmoothValue, effectiveOrder);
    }
}
