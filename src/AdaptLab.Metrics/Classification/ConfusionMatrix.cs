namespace AdaptLab.Metrics.Classification;

/// <summary>
/// Counts of (actual, predicted) label pairs, rows = actual, columns = predicted, with labels in
/// ordinal order as scikit-learn's <c>confusion_matrix</c> lays them out.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly int[,] counts;
    private readonly Dictionary<string, int> indexOf;

    internal ConfusionMatrix(IReadOnlyList<string> labels, int[,] counts)
    {
        Labels = labels;
        this.counts = counts;
        indexOf = labels.Select((label, i) => (label, i)).ToDictionary(p => p.label, p => p.i, StringComparer.Ordinal);
    }

    public IReadOnlyList<string> Labels { get; }

    public int this[int actualIndex, int predictedIndex] => counts[actualIndex, predictedIndex];

    /// <exception cref="ArgumentException">Either label does not occur in the data.</exception>
    public int Count(string actual, string predicted) => counts[IndexOf(actual), IndexOf(predicted)];

    private int IndexOf(string label) => indexOf.TryGetValue(label, out var i)
        ? i
        : throw new ArgumentException($"label '{label}' is neither a gold nor a predicted label");
}
