using AdaptLab.Metrics.Statistics;

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
/// scikit-learn's <c>f1_score(labels=..., average=..., zero_division=0)</c> with the task's labels (and
/// any gold label outside them): a reply that names no label is a miss, never a class of its own.
/// Without a label set, the labels seen in gold and predictions. Corpus-shaped: the statistics
/// bootstrap recomputes it on resampled items because a class average does not decompose into item scores.
/// </summary>
/// <param name="labels">The task's closed label set, or null to take the labels from the data.</param>
public sealed class AveragedF1(F1Average average, IReadOnlyList<string>? labels = null) : IResamplableMetric, IAccumulatingMetric
{
    public string Name { get; } = average switch
    {
        F1Average.Macro => "macro_f1",
        F1Average.Micro => "micro_f1",
        F1Average.Weighted => "weighted_f1",
        _ => throw new ArgumentOutOfRangeException(nameof(average)),
    };

    public MetricShape Shape => MetricShape.Corpus;

    private IReadOnlyList<string>? Labels => labels;

    public bool HigherIsBetter => true;

    public MetricValue Compute(IReadOnlyList<MetricItem> items)
    {
        if (items.Count == 0)
        {
            return new MetricValue(double.NaN);
        }

        var report = ClassificationReport.FromItems(items, labels);
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
    /// Macro and weighted F1 resample within gold labels, so every replicate scores each class on the
    /// support it has: with two or three items a class, a plain resample drops some classes (and reweighs
    /// the rest) in every replicate, and the replicates miss the estimate. Micro-F1 pools the counts, so no
    /// class's support enters it on its own; it resamples all items together.
    /// </summary>
    public ResampleStrata? Strata(IReadOnlyList<MetricItem> items) => StrataOf(items.Select(i => i.References[0].Trim()));

    public Func<int[], double> Resampler(IReadOnlyList<MetricItem> items) =>
        Prepared(items.Select(i => i.References[0].Trim()).ToArray(), items.Select(i => i.Prediction.Trim()).ToArray());

    MetricAccumulator IAccumulatingMetric.CreateAccumulator(IMetric named) => new LabelAccumulator(named, this);

    /// <remarks>Strata are numbered in the order their gold labels first occur, which fixes the draws of a seeded bootstrap.</remarks>
    private ResampleStrata? StrataOf(IEnumerable<string> goldLabels)
    {
        if (average == F1Average.Micro)
        {
            return null;
        }

        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var of = new List<int>();
        foreach (var gold in goldLabels)
        {
            if (!ids.TryGetValue(gold, out var id))
            {
                id = ids[gold] = ids.Count;
            }

            of.Add(id);
        }

        return new ResampleStrata(of, "gold label", "labels");
    }

    /// <summary>
    /// Labels become integers once; each resample then only counts. With a label set every class of
    /// the full sample is scored in every resample, as the same <c>f1_score(labels=...)</c> call would;
    /// without one, classes in neither the gold nor the predicted labels of a resample are left out of
    /// it, as scikit-learn does then. A reply outside the classes is -1: no class's prediction.
    /// </summary>
    private Func<int[], double> Prepared(IReadOnlyList<string> goldLabels, IReadOnlyList<string> predictedLabels)
    {
        var classes = ClassificationReport.ClassesOf(goldLabels, predictedLabels, labels);
        var ids = classes.Select((label, id) => (label, id)).ToDictionary(p => p.label, p => p.id, StringComparer.Ordinal);
        var gold = goldLabels.Select(l => ids[l]).ToArray();
        var predicted = predictedLabels.Select(l => ids.GetValueOrDefault(l, -1)).ToArray();
        return Counting(gold, predicted, classes.Length);
    }

    private Func<int[], double> Counting(int[] gold, int[] predicted, int classCount)
    {
        var fixedClasses = labels is not null;

        // Each item is one cell of the gold x predicted table (a reply that is no label in a column of its own): a bootstrap
        // resample, counted with one increment an index instead of three, spent most of its time here.
        var width = classCount + 1;
        var cellOf = new int[gold.Length];
        for (var i = 0; i < gold.Length; i++)
        {
            cellOf[i] = (gold[i] * width) + predicted[i] + 1;
        }

        return indices =>
        {
            var cells = new int[classCount * width];
            foreach (var i in indices)
            {
                cells[cellOf[i]]++;
            }

            var truePositives = new int[classCount];
            var goldCounts = new int[classCount];
            var predictedCounts = new int[classCount];
            for (var g = 0; g < classCount; g++)
            {
                for (var p = -1; p < classCount; p++)
                {
                    var count = cells[(g * width) + p + 1];
                    goldCounts[g] += count;
                    if (p >= 0)
                    {
                        predictedCounts[p] += count;
                    }

                    if (g == p)
                    {
                        truePositives[g] += count;
                    }
                }
            }

            if (average == F1Average.Micro)
            {
                // 2TP / (2TP + FP + FN) over the pooled counts.
                var pooled = goldCounts.Sum() + predictedCounts.Sum();
                return indices.Length == 0 ? double.NaN : pooled == 0 ? 0 : 2.0 * truePositives.Sum() / pooled;
            }

            double sum = 0, weights = 0;
            for (var c = 0; c < classCount; c++)
            {
                if (!fixedClasses && goldCounts[c] == 0 && predictedCounts[c] == 0)
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

    /// <summary>Two numbers an item: its gold and its predicted label, each numbered once among the labels seen.</summary>
    private sealed class LabelAccumulator(IMetric named, AveragedF1 f1) : MetricAccumulator(named)
    {
        private readonly Dictionary<string, int> seen = new(StringComparer.Ordinal);
        private readonly List<string> names = [];
        private readonly List<int> gold = [];
        private readonly List<int> predicted = [];

        protected override MetricValue? Keep(IReadOnlyList<MetricItem> batch)
        {
            foreach (var item in batch)
            {
                gold.Add(Id(item.References[0].Trim()));
                predicted.Add(Id(item.Prediction.Trim()));
            }

            // A class average has no per-item score to store.
            return new MetricValue(double.NaN);
        }

        protected override MetricSample Build()
        {
            var goldNames = gold.Distinct().Select(id => names[id]).ToList();
            var predictedNames = predicted.Distinct().Select(id => names[id]).ToList();
            var classes = ClassificationReport.ClassesOf(goldNames, predictedNames, f1.Labels);
            var classOf = classes.Select((label, id) => (label, id)).ToDictionary(p => p.label, p => p.id, StringComparer.Ordinal);
            var toClass = names.Select(n => classOf.GetValueOrDefault(n, -1)).ToArray();
            var statistic = f1.Counting([.. gold.Select(id => toClass[id])], [.. predicted.Select(id => toClass[id])], classes.Length);
            return new MetricSample(Metric, gold.Count, statistic([.. Enumerable.Range(0, gold.Count)]), null, gold.Count, statistic,
                f1.StrataOf(gold.Select(id => names[id])));
        }

        private int Id(string label)
        {
            if (!seen.TryGetValue(label, out var id))
            {
                id = seen[label] = names.Count;
                names.Add(label);
            }

            return id;
        }
    }
}
