namespace AdaptLab.Metrics.Classification;

/// <summary>
/// Counts of (actual, predicted) label pairs, rows = actual, columns = predicted, with labels in
/// ordinal order as scikit-learn's <c>confusion_matrix</c> lays them out, and beside them the replies
/// of each actual label that named no label at all.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly int[,] counts;
    private readonly int[] invalid;
    private readonly Dictionary<string, int> indexOf;

    internal ConfusionMatrix(IReadOnlyList<string> labels, int[,] counts, int[] invalid)
    {
        Labels = labels;
        this.counts = counts;
        this.invalid = invalid;
        indexOf = labels.Select((label, i) => (label, i)).ToDictionary(p => p.label, p => p.i, StringComparer.Ordinal);
    }

    public IReadOnlyList<string> Labels { get; }

    public int this[int actualIndex, int predictedIndex] => counts[actualIndex, predictedIndex];

    /// <summary>Replies to items of this actual label that named no label.</summary>
    public int Invalid(int actualIndex) => invalid[actualIndex];

    public int TotalInvalid => invalid.Sum();

    /// <exception cref="ArgumentException">Either label does not occur in the data.</exception>
    public int Count(string actual, string predicted) => counts[IndexOf(actual), IndexOf(predicted)];

    private int IndexOf(string label) => indexOf.TryGetValue(label, out var i)
        ? i
        : throw new ArgumentException($"label '{label}' is neither a gold nor a predicted label");
}
