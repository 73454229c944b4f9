namespace AdaptLab.Metrics.Statistics;

/// <summary>A metric's value on a set of items with a confidence interval around it.</summary>
/// <param name="Metric">The metric's name.</param>
/// <param name="Value">The metric on all items.</param>
/// <param name="Lower">Lower end of the interval.</param>
/// <param name="Upper">Upper end of the interval.</param>
/// <param name="N">Number of items.</param>
/// <param name="ConfidenceLevel">Coverage of the interval, e.g. 0.95.</param>
/// <param name="Method">The interval used, in words, for the report (e.g. "Wilson score interval").</param>
/// <param name="Caution">Why the interval is unreliable, for the report to show beside it; null when nothing is known against it.</param>
public sealed record MetricEstimate(
    string Metric,
    double Value,
    double Lower,
    double Upper,
    int N,
    double ConfidenceLevel,
    string Method,
    string? Caution = null);

/// <summary>Variant A minus variant B on the same items, with an interval and a two-sided test of no difference.</summary>
/// <param name="Metric">The metric's name.</param>
/// <param name="ValueA">The metric on variant A.</param>
/// <param name="ValueB">The metric on variant B.</param>
/// <param name="Difference">Metric(A) - Metric(B); positive means A scored higher.</param>
/// <param name="Lower">Lower end of the interval for the difference, at coverage 1 - alpha.</param>
/// <param name="Upper">Upper end of the interval for the difference.</param>
/// <param name="PValue">Two-sided p-value for no difference.</param>
/// <param name="Significant">Whether <see cref="PValue"/> is below the alpha the comparison was run with.</param>
/// <param name="N">Number of paired items.</param>
/// <param name="Method">The test and the interval used, in words, for the report.</param>
/// <param name="Caution">Why the interval is unreliable, for the report to show beside it; null when nothing is known against it.</param>
public sealed record PairedComparison(
    string Metric,
    double ValueA,
    double ValueB,
    double Difference,
    double Lower,
    double Upper,
    double PValue,
    bool Significant,
    int N,
    string Method,
    string? Caution = null);
