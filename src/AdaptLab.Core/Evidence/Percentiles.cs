using MathNet.Numerics.Statistics;

namespace AdaptLab.Core.Evidence;

internal static class Percentiles
{
    /// <summary>Linear interpolation between closest ranks (R-7, numpy's default), null for no data.</summary>
    public static double? Of(IReadOnlyCollection<double> values, double percentile) =>
        values.Count == 0 ? null : values.QuantileCustom(percentile / 100, QuantileDefinition.R7);
}
