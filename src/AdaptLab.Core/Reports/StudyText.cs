using System.Globalization;
using AdaptLab.Core.Decision;
using AdaptLab.Core.Ladder;

namespace AdaptLab.Core.Reports;

/// <summary>How a study's numbers read in every rendering: points on 0-100, money, shares.</summary>
public static class StudyText
{
    public static string Points(StudyReport report, double? value) =>
        value is { } v && !double.IsNaN(v) ? (v * 100 / report.FullScale).ToString("0.0", CultureInfo.InvariantCulture) : "–";

    public static string Interval(StudyReport report, double? lower, double? upper) =>
        lower is null || upper is null ? string.Empty : $"[{Points(report, lower)}, {Points(report, upper)}]";

    /// <param name="adjusted">Show the Holm-adjusted p-value (a ladder's lift), else the test's own (the break-even's quality difference).</param>
    public static string Lift(StudyReport report, Lift? lift, bool adjusted = true)
    {
        if (lift is null)
        {
            return "–";
        }

        var p = adjusted ? lift.AdjustedP : lift.PValue;
        return $"{(lift.Difference >= 0 ? "+" : string.Empty)}{Points(report, lift.Difference)} {Interval(report, lift.Lower, lift.Upper)} vs {lift.Baseline}, " +
            $"{(adjusted ? "p(Holm)" : "p")} {(p < 0.0001 ? "< 0.0001" : p.ToString("0.0000", CultureInfo.InvariantCulture))}";
    }

    /// <summary>A probe's value and interval on 0-100 (a probe may report the format metric, on its own scale).</summary>
    public static string ProbePoints(ProbeResult probe)
    {
        var scale = 100 / probe.FullScale;
        return string.Create(CultureInfo.InvariantCulture, $"{probe.Value * scale:0.0}") +
            (probe.Lower is { } l && probe.Upper is { } u ? string.Create(CultureInfo.InvariantCulture, $" [{l * scale:0.0}, {u * scale:0.0}]") : string.Empty);
    }

    public static string Money(double? value) => value is { } v ? v.ToString("0.####", CultureInfo.InvariantCulture) : "–";

    public static string Number(double? value, string format = "0") => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    public static string Share(FailureShareView share) =>
        $"{share.Count} ({Recommender.Percent(share.Share)} [{Recommender.Percent(share.Lower)}, {Recommender.Percent(share.Upper)}])";

    public static string Status(RungReport rung) => rung.Status switch
    {
        "measured" => rung.Evidence?.MeetsTargets switch { true => "measured: meets the targets", false => "measured: misses " + string.Join("; ", rung.Evidence.Missed), _ => "measured" },
        _ => $"{rung.Status}: {rung.Reason}",
    };
}

/// <summary>A failure share as the renderers show it.</summary>
public sealed record FailureShareView(string Category, int Count, double Share, double Lower, double Upper)
{
    public static IEnumerable<FailureShareView> Of(RungEvidence evidence) => evidence.Failures.Shares.Select(s =>
        new FailureShareView(Recommender.Words(s.Category), s.Count, s.Share, s.Lower, s.Upper));
}
