using System.Globalization;
using AdaptLab.Core.Reports;

namespace AdaptLab.Core.Evidence;

/// <summary>
/// Number formatting shared by every rendering: the console, and the report templates through their filters
/// (<see cref="ReportTemplates"/>), so a value reads the same wherever it is shown.
/// </summary>
internal static class Format
{
    public static string Value(double? v) => v is { } d && !double.IsNaN(d) ? d.ToString("0.####", CultureInfo.InvariantCulture) : "–";

    public static string Interval(double? lower, double? upper) =>
        lower is null || upper is null ? string.Empty : $"[{Value(lower)}, {Value(upper)}]";

    /// <summary>A metric value already on the 0-100 report scale.</summary>
    public static string Points(double? v) => v is { } d && !double.IsNaN(d) ? d.ToString("0.##", CultureInfo.InvariantCulture) : "–";

    public static string PointsInterval(double? lower, double? upper) =>
        lower is null || upper is null ? string.Empty : $"[{Points(lower)}, {Points(upper)}]";

    /// <summary>"+3.2": a difference already on the 0-100 report scale, signed.</summary>
    public static string SignedPoints(double? difference) => (difference >= 0 ? "+" : string.Empty) + Points(difference);

    /// <summary>
    /// A value on the 0-100 scale as a study shows it: always one decimal, so the ladder's scores, lifts and evidence
    /// line up.
    /// </summary>
    public static string StudyPoints(double? v) => v is { } d && !double.IsNaN(d) ? d.ToString("0.0", CultureInfo.InvariantCulture) : "–";

    public static string StudyInterval(double? lower, double? upper) =>
        lower is null || upper is null ? string.Empty : $"[{StudyPoints(lower)}, {StudyPoints(upper)}]";

    public static string Ms(double? v) => v is { } d ? d.ToString("0", CultureInfo.InvariantCulture) + " ms" : "–";

    public static string Percent(double v) => v.ToString("0.#%", CultureInfo.InvariantCulture);

    /// <summary>"31%": a share of items in whole percent, as failure mixes read.</summary>
    public static string WholePercent(double share) => (share * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    /// <summary>
    /// Every p-value shown, raw or Holm-adjusted, in every report and on the console: always four decimals (so a column of
    /// them lines up and 0.0500 reads as the threshold it is), "&lt; 0.0001" below them, "–" for none.
    /// </summary>
    public static string PValue(double p) => double.IsNaN(p) ? "–" : p < 0.0001 ? "< 0.0001" : p.ToString("0.0000", CultureInfo.InvariantCulture);

    public static string Signed(double v) => (v >= 0 ? "+" : string.Empty) + Value(v);

    /// <summary>A price or cost: up to four decimals.</summary>
    public static string Money(double? value) => value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "–";

    /// <summary>A number in a .NET <paramref name="format"/> (invariant culture), "–" for none.</summary>
    public static string Number(double? value, string format = "0") => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    /// <summary>"2025-06-11 14:05": a time to the minute.</summary>
    public static string Minute(DateTimeOffset time) => time.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A stored value of the run's <paramref name="metric"/> on the 0-100 report scale (proportions and F-scores times 100; BLEU, chrF and TER as they are).</summary>
    public static double? ToPoints(Store.RunConfig run, string metric, double? value) => value * 100 / run.FullScale(metric);

    /// <summary>"+3.2 [-1.5, 7.9]": a difference of the run's <paramref name="metric"/> and its interval, in points.</summary>
    public static string SignedPoints(Store.RunConfig run, string metric, double difference, double? lower, double? upper) =>
        SignedPoints(ToPoints(run, metric, difference)) + " " + PointsInterval(ToPoints(run, metric, lower), ToPoints(run, metric, upper));
}
