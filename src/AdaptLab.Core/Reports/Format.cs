using System.Globalization;

namespace AdaptLab.Core.Reports;

/// <summary>Number formatting shared by the text renderers.</summary>
public static class Format
{
    public static string Value(double? v) => v is { } d && !double.IsNaN(d) ? d.ToString("0.####", CultureInfo.InvariantCulture) : "–";

    public static string Interval(double? lower, double? upper) =>
        lower is null || upper is null ? string.Empty : $"[{Value(lower)}, {Value(upper)}]";

    /// <summary>A metric value already on the 0-100 report scale.</summary>
    public static string Points(double? v) => v is { } d && !double.IsNaN(d) ? d.ToString("0.##", CultureInfo.InvariantCulture) : "–";

    public static string PointsInterval(double? lower, double? upper) =>
        lower is null || upper is null ? string.Empty : $"[{Points(lower)}, {Points(upper)}]";

    public static string Ms(double? v) => v is { } d ? d.ToString("0", CultureInfo.InvariantCulture) + " ms" : "–";

    public static string Percent(double v) => v.ToString("0.#%", CultureInfo.InvariantCulture);

    public static string PValue(double p) => double.IsNaN(p) ? "–" : p < 0.0001 ? "<0.0001" : p.ToString("0.####", CultureInfo.InvariantCulture);

    public static string Signed(double v) => (v >= 0 ? "+" : string.Empty) + Value(v);

    /// <summary>A stored value of the run's <paramref name="metric"/> on the 0-100 report scale (proportions and F-scores times 100; BLEU, chrF and TER as they are).</summary>
    public static double? ToPoints(Store.RunConfig run, string metric, double? value) => value * 100 / run.FullScale(metric);

    /// <summary>"+3.2 [-1.5, 7.9]": a difference of the run's <paramref name="metric"/> and its interval, in points.</summary>
    public static string SignedPoints(Store.RunConfig run, string metric, double difference, double? lower, double? upper) =>
        (difference >= 0 ? "+" : string.Empty) + Points(ToPoints(run, metric, difference)) + " " + PointsInterval(ToPoints(run, metric, lower), ToPoints(run, metric, upper));
}
