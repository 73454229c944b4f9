namespace AdaptLab.Metrics.Text;

/// <summary>rouge-score's <c>Score</c> tuple, each on a 0-1 scale.</summary>
public readonly record struct RougeScore(double Precision, double Recall, double FMeasure)
{
    internal static RougeScore From(double precision, double recall) =>
        new(precision, recall, precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0);
}
