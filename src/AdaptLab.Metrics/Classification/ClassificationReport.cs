namespace AdaptLab.Metrics.Classification;

/// <summary>
/// Per-class precision, recall and F1, their macro/micro/weighted averages and the confusion
/// matrix of single-label predictions, defined as scikit-learn's
/// <c>precision_recall_fscore_support(labels=..., zero_division=0)</c> and <c>confusion_matrix</c>.
/// With a closed label set the classes are those labels and any gold label outside them, in ordinal
/// order, and a prediction outside them is invalid: a miss of its gold class that is no class's false
/// positive. Without one, the classes are the union of gold and predicted labels. A class never
/// predicted has precision 0 and a class never in the gold data recall 0, rather than undefined.
/// </summary>
public sealed record ClassificationReport(
    IReadOnlyList<ClassScores> Classes,
    AveragedScores Macro,
    AveragedScores Micro,
    AveragedScores Weighted,
    double Accuracy,
    ConfusionMatrix Confusion)
{
    /// <summary>The gold label of each item is its single reference; both sides are trimmed.</summary>
    /// <param name="labels">The task's closed label set, or null to take the labels from the data.</param>
    /// <exception cref="ArgumentException">An item has other than one reference, or there are no items.</exception>
    public static ClassificationReport FromItems(IReadOnlyList<MetricItem> items, IReadOnlyList<string>? labels = null)
    {
        var gold = new string[items.Count];
        var predicted = new string[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].References.Count != 1)
            {
                throw new ArgumentException(
                    $"classification metrics need exactly one gold label per item; item {i} has {items[i].References.Count}");
            }

            gold[i] = items[i].References[0].Trim();
            predicted[i] = items[i].Prediction.Trim();
        }

        return Compute(gold, predicted, labels);
    }

    /// <summary>The classes scored: the closed label set and every gold label, or without a set every label seen.</summary>
    public static string[] ClassesOf(IEnumerable<string> gold, IEnumerable<string> predicted, IReadOnlyList<string>? labels) =>
        (labels is null ? gold.Concat(predicted) : labels.Select(l => l.Trim()).Concat(gold))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    /// <exception cref="ArgumentException">The vectors differ in length or are empty.</exception>
    public static ClassificationReport Compute(IReadOnlyList<string> gold, IReadOnlyList<string> predicted, IReadOnlyList<string>? labels = null)
    {
        if (gold.Count != predicted.Count)
        {
            throw new ArgumentException($"{gold.Count} gold labels but {predicted.Count} predictions");
        }

        if (gold.Count == 0)
        {
            throw new ArgumentException("a classification report needs at least one item");
        }

        var classes = ClassesOf(gold, predicted, labels);
        var index = classes.Select((label, i) => (label, i)).ToDictionary(p => p.label, p => p.i, StringComparer.Ordinal);
        var counts = new int[classes.Length, classes.Length];
        var invalid = new int[classes.Length];
        for (var i = 0; i < gold.Count; i++)
        {
            if (index.TryGetValue(predicted[i], out var column))
            {
                counts[index[gold[i]], column]++;
            }
            else
            {
                invalid[index[gold[i]]]++;
            }
        }

        return FromCounts(classes, counts, invalid, gold.Count);
    }

    private static ClassificationReport FromCounts(string[] labels, int[,] counts, int[] invalid, int total)
    {
        var classes = new ClassScores[labels.Length];
        long truePositives = 0, validPredictions = 0;
        for (var k = 0; k < labels.Length; k++)
        {
            int tp = counts[k, k], predictedK = 0, support = invalid[k];
            for (var j = 0; j < labels.Length; j++)
            {
                predictedK += counts[j, k];
                support += counts[k, j];
            }

            truePositives += tp;
            validPredictions += predictedK;
            var precision = Ratio(tp, predictedK);
            var recall = Ratio(tp, support);
            classes[k] = new ClassScores(labels[k], precision, recall, F1(precision, recall), support);
        }

        var macro = new AveragedScores(
            classes.Average(c => c.Precision), classes.Average(c => c.Recall), classes.Average(c => c.F1));

        // Each item has one gold label, so pooled false negatives are the misses; pooled false positives
        // leave out invalid replies, which predict no class. Without invalid replies P = R = accuracy.
        var accuracy = (double)truePositives / total;
        var microPrecision = validPredictions == 0 ? 0 : (double)truePositives / validPredictions;
        var micro = new AveragedScores(microPrecision, accuracy, F1(microPrecision, accuracy));

        var weighted = new AveragedScores(
            classes.Sum(c => c.Precision * c.Support) / total,
            classes.Sum(c => c.Recall * c.Support) / total,
            classes.Sum(c => c.F1 * c.Support) / total);

        return new ClassificationReport(classes, macro, micro, weighted, accuracy, new ConfusionMatrix(labels, counts, invalid));
    }

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    private static double F1(double precision, double recall) =>
        precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
}
