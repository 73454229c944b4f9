namespace AdaptLab.Metrics.Classification;

/// <summary>
/// Per-class precision, recall and F1, their macro/micro/weighted averages and the confusion
/// matrix of single-label predictions, defined as scikit-learn's
/// <c>precision_recall_fscore_support(zero_division=0)</c> and <c>confusion_matrix</c> with the
/// labels being the sorted (ordinal) union of gold and predicted labels. A class never predicted
/// has precision 0 and a class never in the gold data recall 0, rather than undefined.
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
    /// <exception cref="ArgumentException">An item has other than one reference, or there are no items.</exception>
    public static ClassificationReport FromItems(IReadOnlyList<MetricItem> items)
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

        return Compute(gold, predicted);
    }

    /// <exception cref="ArgumentException">The vectors differ in length or are empty.</exception>
    public static ClassificationReport Compute(IReadOnlyList<string> gold, IReadOnlyList<string> predicted)
    {
        if (gold.Count != predicted.Count)
        {
            throw new ArgumentException($"{gold.Count} gold labels but {predicted.Count} predictions");
        }

        if (gold.Count == 0)
        {
            throw new ArgumentException("a classification report needs at least one item");
        }

        var labels = gold.Concat(predicted).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var index = labels.Select((label, i) => (label, i)).ToDictionary(p => p.label, p => p.i, StringComparer.Ordinal);
        var counts = new int[labels.Length, labels.Length];
        for (var i = 0; i < gold.Count; i++)
        {
            counts[index[gold[i]], index[predicted[i]]]++;
        }

        return FromCounts(labels, counts, gold.Count);
    }

    private static ClassificationReport FromCounts(string[] labels, int[,] counts, int total)
    {
        var classes = new ClassScores[labels.Length];
        long truePositives = 0;
        for (var k = 0; k < labels.Length; k++)
        {
            int tp = counts[k, k], predictedK = 0, support = 0;
            for (var j = 0; j < labels.Length; j++)
            {
                predictedK += counts[j, k];
                support += counts[k, j];
            }

            truePositives += tp;
            var precision = Ratio(tp, predictedK);
            var recall = Ratio(tp, support);
            classes[k] = new ClassScores(labels[k], precision, recall, F1(precision, recall), support);
        }

        var macro = new AveragedScores(
            classes.Average(c => c.Precision), classes.Average(c => c.Recall), classes.Average(c => c.F1));

        // Every item contributes one prediction and one gold label, so the micro-averaged false
        // positives and false negatives both equal the misclassified items: P = R = accuracy.
        var accuracy = (double)truePositives / total;
        var micro = new AveragedScores(accuracy, accuracy, F1(accuracy, accuracy));

        var weighted = new AveragedScores(
            classes.Sum(c => c.Precision * c.Support) / total,
            classes.Sum(c => c.Recall * c.Support) / total,
            classes.Sum(c => c.F1 * c.Support) / total);

        return new ClassificationReport(classes, macro, micro, weighted, accuracy, new ConfusionMatrix(labels, counts));
    }

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    private static double F1(double precision, double recall) =>
        precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
}
