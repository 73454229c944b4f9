namespace AdaptLab.Metrics.Classification;

public enum F1Average
{
    /// <summary>Unweighted mean of per-class F1: every class counts the same, however rare.</summary>
    Macro,

    /// <summary>F1 of the pooled counts; equals accuracy for single-label classification.</summary>
    Micro,

    /// <summary>Mean of per-class F1 weighted by gold support.</summary>
    Weighted,
}

/// <summary>
/// <c>macro_f1</c>, <c>micro_f1</c> and <c>weighted_f1</c> over single-label predictions, as
/// scikit-learn's <c>f1_score(average=...)</c>. Corpus-shaped: the statistics bootstrap
/// recomputes it on resampled items because a class average does not decompose into item scores.
/// </summary>
public sealed class AveragedF1(F1Average average) : IMetric
{
    public string Name { get; } = average switch
    {
        F1Average.Macro => "macro_f1",
        F1Average.Micro => "micro_f1",
        F1Average.Weighted => "weighted_f1",
        _ => throw new ArgumentOutOfRangeException(nameof(average)),
    };

    public MetricShape Shape => MetricShape.Corpus;

    public bool HigherIsBetter => true;

    public MetricValue Compute(IReadOnlyList<MetricItem> items)
    {
        if (items.Count == 0)
        {
            return new MetricValue(double.NaN);
        }

        var report = ClassificationReport.FromItems(items);
        var scores = average switch
        {
            F1Average.Macro => report.Macro,
            F1Average.Micro => report.Micro,
            _ => report.Weighted,
        };
        var reasons = items
            .Select(item => item.Prediction.Trim() == item.References[0].Trim()
                ? null
                : $"expected \"{item.References[0].Trim()}\", got \"{item.Prediction.Trim()}\"")
            .ToArray();
        return new MetricValue(scores.F1, PerItem: null, reasons);
    }
}
