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
public sealed class AveragedF1(F1Average average) : IResamplableMetric
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

    /// <summary>
    /// Labels become integers once; each resample then only counts. Classes that occur in neither the
    /// gold nor the predicted labels of a resample are left out of it, as scikit-learn does.
    /// </summary>
    public Func<int[], double> Resampler(IReadOnlyList<MetricItem> items)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        int Id(string label) => ids.TryGetValue(label, out var id) ? id : ids[label] = ids.Count;
        var gold = items.Select(i => Id(i.References[0].Trim())).ToArray();
        var predicted = items.Select(i => Id(i.Prediction.Trim())).ToArray();
        var classes = ids.Count;
        return indices =>
        {
            var truePositives = new int[classes];
            var goldCounts = new int[classes];
            var predictedCounts = new int[classes];
            foreach (var i in indices)
            {
                goldCounts[gold[i]]++;
                predictedCounts[predicted[i]]++;
                if (gold[i] == predicted[i])
                {
                    truePositives[gold[i]]++;
                }
            }

            if (average == F1Average.Micro)
            {
                return indices.Length == 0 ? double.NaN : truePositives.Sum() / (double)indices.Length;
            }

            double sum = 0, weights = 0;
            for (var c = 0; c < classes; c++)
            {
                if (goldCounts[c] == 0 && predictedCounts[c] == 0)
                {
                    continue;
                }

                // F1 = 2TP / (2TP + FP + FN), 0 when TP = 0 (zero_division = 0).
                var f1 = truePositives[c] == 0 ? 0 : 2.0 * truePositives[c] / (goldCounts[c] + predictedCounts[c]);
                var weight = average == F1Average.Macro ? 1 : goldCounts[c];
                sum += weight * f1;
                weights += weight;
            }

            return weights == 0 ? 0 : sum / weights;
        };
    }
}
