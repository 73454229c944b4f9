namespace AdaptLab.Metrics.Text;

/// <summary>
/// Corpus chrF / chrF++ equal to sacrebleu 2.6.0 (<c>sacrebleu.corpus_chrf</c>), on sacrebleu's
/// 0-100 scale: statistics are summed over the corpus, then turned into one F score.
/// <see cref="MetricValue.PerItem"/> holds each item's sentence chrF with the same settings.
/// </summary>
public sealed class ChrfMetric : IAdditiveStatisticsMetric
{
    private readonly ChrfOptions _options;

    public ChrfMetric(ChrfOptions options, string name = "chrf")
    {
        options.Validate();
        _options = options;
        Name = name;
    }

    public string Name { get; }

    public MetricShape Shape => MetricShape.Corpus;

    public bool HigherIsBetter => true;

    public MetricValue Compute(IReadOnlyList<MetricItem> items) =>
        AdditiveStatistics.Corpus(this, ItemStatistics(items), row => ValueFromTotals(row));

    public double[][] ItemStatistics(IReadOnlyList<MetricItem> items) =>
        AdditiveStatistics.Rows(items, new ChrfStatistics(_options), Name);

    public double ValueFromTotals(ReadOnlySpan<double> totals)
    {
        if (totals.Length != 3 * _options.Order)
        {
            throw new ArgumentException($"chrF statistics must have {3 * _options.Order} values, got {totals.Length}");
        }

        return ChrfScore.Compute(totals, _options.Beta, _options.EpsSmoothing);
    }
}
