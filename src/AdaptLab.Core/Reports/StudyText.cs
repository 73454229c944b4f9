using AdaptLab.Core.Decision;
using AdaptLab.Core.Ladder;
using AdaptLab.Core.Store;
using AdaptLab.Core.Evidence;

namespace AdaptLab.Core.Reports;

/// <summary>How a study's scores, lifts and rung states read in every rendering: the console and the report templates.</summary>
internal static class StudyText
{
    public static string Points(StudyReport report, double? value) => Format.StudyPoints(report.Points(value));

    public static string Interval(StudyReport report, double? lower, double? upper) => Format.StudyInterval(report.Points(lower), report.Points(upper));

    /// <param name="adjusted">Show the Holm-adjusted p-value (a ladder's lift), else the test's own (the break-even's quality difference).</param>
    public static string Lift(StudyReport report, Lift? lift, bool adjusted = true) => lift is null
        ? "–"
        : $"{(lift.Difference >= 0 ? "+" : string.Empty)}{Points(report, lift.Difference)} {Interval(report, lift.Lower, lift.Upper)} vs {lift.Baseline}, " +
            $"{(adjusted ? "p(Holm)" : "p")} {Format.PValue(adjusted ? lift.AdjustedP : lift.PValue)}";

    /// <summary>A rung's status and why; a status or reason another version stored reads as it was stored.</summary>
    public static string Status(RungReport rung) => rung.Status.Known switch
    {
        RungStatus.Measured => rung.Evidence?.MeetsTargets switch { true => "measured: meets the targets", false => "measured: misses " + string.Join("; ", rung.Evidence.Missed), _ => "measured" },
        _ => $"{rung.Status.Text}: {rung.Reason?.Text}",
    };

    /// <summary>A climb's progress step as the console's rung log prints it.</summary>
    public static string Step(RungStep step) => step switch
    {
        RungStep.Training => "training",
        RungStep.Measuring => "measuring",
        RungStep.Measured => "measured",
        RungStep.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(step)),
    };
}
