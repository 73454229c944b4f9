namespace AdaptLab.Metrics.Text;

/// <summary>Which SQuAD measure a <see cref="SquadMetric"/> reports.</summary>
public enum SquadMeasure
{
    ExactMatch,
    F1,
}

/// <summary>
/// SQuAD exact match and token F1 as the official SQuAD 2.0 evaluation script computes them, on a
/// 0-1 scale (the script prints x100): answers are lowercased, stripped of ASCII punctuation and
/// the articles a/an/the, and whitespace-collapsed; the best reference counts. References that
/// normalise to nothing are dropped, and an item left without any (unanswerable) expects an empty
/// prediction: then F1 is 1 for an empty prediction and 0 otherwise.
/// </summary>
public sealed class SquadMetric(SquadMeasure measure) : IMetric
{
    public string Name => measure == SquadMeasure.ExactMatch ? "squad_em" : "squad_f1";

    public MetricShape Shape => measure == SquadMeasure.ExactMatch ? MetricShape.MeanOfBinary : MetricShape.MeanOfItems;

    public bool HigherIsBetter => true;

    public MetricValue Compute(IReadOnlyList<MetricItem> items)
    {
        var perItem = new double[items.Count];
        var reasons = new string?[items.Count];
        var sum = 0.0;
        for (var i = 0; i < items.Count; i++)
        {
            var golds = items[i].References.Where(r => SquadNormalization.Normalize(r).Length > 0).ToList();
            if (golds.Count == 0)
            {
                golds.Add("");
            }

            var score = golds.Max(g => measure == SquadMeasure.ExactMatch
                ? SquadNormalization.ExactMatch(g, items[i].Prediction)
                : SquadNormalization.F1(g, items[i].Prediction));
            perItem[i] = score;
            sum += score;
            reasons[i] = score == 1 ? null : $"expected {string.Join(" or ", golds.Select(g => $"\"{g}\""))}";
        }

        return new MetricValue(items.Count == 0 ? double.NaN : sum / items.Count, perItem, reasons);
    }
}
