namespace AdaptLab.Metrics.Text;

/// <summary>
/// Corpus TER equal to sacrebleu 2.6.0 (<c>sacrebleu.metrics.TER().corpus_score</c>), reported x100
/// as sacrebleu does (0 is perfect; it can exceed 100). Statistics per item are the fewest edits
/// over the references and the average reference length. <see cref="MetricValue.PerItem"/> holds
/// each item's sentence TER.
/// </summary>
public sealed class TerMetric(TerOptions options, string name = "ter") : IAdditiveStatisticsMetric
{
    public string Name { get; } = name;

    public MetricShape Shape => MetricShape.Corpus;

    public bool HigherIsBetter => false;

    public MetricValue Compute(IReadOnlyList<MetricItem> items) =>
        AdditiveStatistics.Corpus(this, ItemStatistics(items), row => ValueFromTotals(row));

    public double[][] ItemStatistics(IReadOnlyList<MetricItem> items)
    {
        AdditiveStatistics.RequireReferences(items, Name);
        var tokenizer = new TercomTokenizer(options);
        var interner = new TokenInterner();
        var rows = new double[items.Count][];
        for (var i = 0; i < items.Count; i++)
        {
            interner.Reset();
            var hypothesis = Words(tokenizer.Apply(PythonText.TrimEnd(items[i].Prediction).ToString()), interner);
            var bestEdits = int.MaxValue;
            var refLengths = 0;
            foreach (var reference in items[i].References)
            {
                // sacrebleu preprocesses references twice: once when caching them, once more when
                // extracting their words.
                var once = tokenizer.Apply(PythonText.TrimEnd(reference).ToString());
                var words = Words(tokenizer.Apply(PythonText.TrimEnd(once).ToString()), interner);
                bestEdits = Math.Min(bestEdits, TranslationEditRate.Edits(hypothesis, words));
                refLengths += words.Length;
            }

            rows[i] = [bestEdits, (double)refLengths / items[i].References.Count];
        }

        return rows;
    }

    public double ValueFromTotals(ReadOnlySpan<double> totals)
    {
        if (totals.Length != 2)
        {
            throw new ArgumentException($"TER statistics must have 2 values (edits, reference length), got {totals.Length}");
        }

        var (edits, refLength) = (totals[0], totals[1]);
        var rate = refLength > 0 ? edits / refLength : edits > 0 ? 1.0 : 0.0;
        return 100 * rate;
    }

    private static int[] Words(string text, TokenInterner interner)
    {
        var spans = new List<TokenSpan>();
        PythonText.SplitWhitespace(text, spans);
        var ids = new int[spans.Count];
        for (var k = 0; k < spans.Count; k++)
        {
            ids[k] = interner.GetOrAdd(text.AsSpan(spans[k].Start, spans[k].Length));
        }

        return ids;
    }
}
