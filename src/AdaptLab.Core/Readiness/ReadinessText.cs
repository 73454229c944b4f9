using System.Globalization;

namespace AdaptLab.Core.Readiness;

/// <summary>The sentences console and HTML share.</summary>
internal static class ReadinessText
{
    public static string Verdict(Verdict verdict) => verdict switch
    {
        Readiness.Verdict.Ready => "ready",
        Readiness.Verdict.ReadyWithWarnings => "ready with warnings",
        _ => "not ready",
    };

    public static string Power(ReadinessReport report) => string.Create(CultureInfo.InvariantCulture,
        $"{(report.Detectable is { } d ? $"With {d.SampleSize} test items a lift of {(double.IsNaN(d.Effect) ? "any size" : $"{d.Effect * 100:F1} points")} is detectable; " : string.Empty)}" +
        $"+5 points needs {report.NeededForFivePoints.SampleSize} test items per variant (from 50%, α {report.NeededForFivePoints.Alpha}, power {report.NeededForFivePoints.Power}: " +
        $"{report.NeededForFivePoints.Method}; paired designs on the same items need fewer, see `adaptlab plan`).");
}
