namespace AdaptLab.Metrics.Classification;

/// <summary>One row of a classification report.</summary>
/// <param name="Label">The class label.</param>
/// <param name="Precision">Share of items predicted as this class that have it; 0 when never predicted.</param>
/// <param name="Recall">Share of items of this class predicted as it; 0 when it is never the gold label.</param>
/// <param name="F1">Harmonic mean of precision and recall; 0 when both are 0.</param>
/// <param name="Support">How many items have this gold label.</param>
public sealed record ClassScores(string Label, double Precision, double Recall, double F1, int Support);

/// <summary>Precision, recall and F1 combined over classes one way (macro, micro or weighted).</summary>
public sealed record AveragedScores(double Precision, double Recall, double F1);
