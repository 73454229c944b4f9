using AdaptLab.Core.Decision;
using AdaptLab.Core.Diagnosis;
using AdaptLab.Core.Ladder;
using AdaptLab.Core.Evidence;
using AdaptLab.Core.Readiness;

namespace AdaptLab.Core.Reports;

/// <summary>
/// A study as a page: HTML (self-contained, no script, no CDN; the charts are inline SVG) or Markdown for a pull request
/// or a wiki. The recommendation comes first, then the ladder it rests on, why items fail, the probes and the costs
/// (Templates/study.html.liquid, study.md.liquid).
/// </summary>
internal static class StudyPage
{
    public static string Html(StudyReport report) => ReportTemplates.Render("study.html", StudyView.Of(report));

    public static string Markdown(StudyReport report) => ReportTemplates.Render("study.md", StudyView.Of(report));
}

/// <summary>A study as its pages read it: scores on 0-100, the sentences the console shares, the charts laid out.</summary>
/// <param name="Target">The primary metric's target on 0-100.</param>
internal sealed record StudyView(
    string Task,
    string Outcome,
    bool NoneMeetsTargets,
    string Study,
    string Run,
    string StartedAt,
    string Metric,
    double? Target,
    string Summary,
    IReadOnlyList<string> Evidence,
    IReadOnlyList<string> WouldChange,
    IReadOnlyList<StudyView.Rung> Rungs,
    IReadOnlyList<StudyView.Failures> FailureRows,
    IReadOnlyList<StudyView.Probe> Probes,
    StudyView.Costs? BreakEven,
    StudyView.TrainingData? Readiness,
    IReadOnlyList<string> Assumptions,
    StudyView.LadderChart Ladder,
    StudyView.MixChart Mix)
{
    private static readonly string[] MixColours = ["#d1495b", "#edae49", "#00798c", "#66637a"];

    public static StudyView Of(StudyReport report)
    {
        var rec = report.Recommendation;
        return new StudyView(
            report.Task,
            Recommendation.Words(rec.Outcome),
            rec.Outcome == Decision.Outcome.NoneMeetsTargets,
            report.Study.Id,
            report.RunId,
            Format.Minute(report.Study.StartedAt),
            report.Metric,
            report.Points(report.Target),
            rec.Summary,
            rec.Evidence,
            rec.WouldChange,
            [.. report.Rungs.Select(r => Rung.Of(report, r))],
            [.. report.Rungs.Where(r => r.Evidence is not null).Select(r => new Failures(
                r.Rung, r.Evidence!.Failures.Failed, r.Evidence.Failures.Items, [.. Share.Of(r.Evidence)], r.Evidence.Failures.Measured))],
            [.. report.Probes.Select(Probe.Of)],
            report.BreakEven is { } b ? Costs.Of(report, b) : null,
            report.Readiness is { } readiness ? new TrainingData(ReadinessText.Verdict(readiness.Verdict), readiness.Blockers) : null,
            report.Assumptions,
            LadderChart.Of(report),
            MixChart.Of(report));
    }

    /// <param name="Value">The score on 0-100 with its interval; null for a rung not measured, like the costs.</param>
    /// <param name="Lift">As <see cref="StudyText.Lift"/> words it.</param>
    internal sealed record Rung(
        string Name,
        string SourceVariant,
        string Status,
        bool Measured,
        double? Value,
        double? Lower,
        double? Upper,
        string Lift,
        double? CostPer1k,
        double? LatencyP50Ms,
        double? LatencyP95Ms,
        double? InputTokens,
        double? OutputTokens,
        double? RetrievalTokens,
        double? TrainingSeconds,
        double? TrainingCost)
    {
        public static Rung Of(StudyReport report, RungReport rung)
        {
            var e = rung.Evidence;
            return new Rung(
                rung.Rung, rung.SourceVariant, StudyText.Status(rung), e is not null, report.Points(e?.Value), report.Points(e?.Lower), report.Points(e?.Upper),
                StudyText.Lift(report, e?.Lift), e?.Cost.CostPer1k, e?.Cost.LatencyP50Ms, e?.Cost.LatencyP95Ms,
                e?.Cost.InputTokens, e?.Cost.OutputTokens, e?.Cost.RetrievalTokens, e?.Cost.TrainingSeconds, e?.Cost.TrainingCost);
        }
    }

    internal sealed record Failures(string Rung, int Failed, int Items, IReadOnlyList<Share> Shares, IReadOnlyList<string> Measured);

    internal sealed record Share(string Category, int Count, double Value, double Lower, double Upper)
    {
        public static IEnumerable<Share> Of(RungEvidence evidence) => evidence.Failures.Shares.Select(s =>
            new Share(Recommender.Words(s.Category), s.Count, s.Share, s.Lower, s.Upper));
    }

    /// <summary>A probe on 0-100 of its own metric's scale (a probe may report the format metric, not the study's).</summary>
    internal sealed record Probe(string Name, string Metric, double Value, double? Lower, double? Upper, int N)
    {
        public static Probe Of(ProbeResult probe)
        {
            var scale = 100 / probe.FullScale;
            return new Probe(probe.Name, probe.Metric, probe.Value * scale, probe.Lower * scale, probe.Upper * scale, probe.N);
        }
    }

    /// <param name="Quality">The fine-tuned rung's difference from the prompted one, as <see cref="StudyText.Lift"/> words it.</param>
    internal sealed record Costs(
        string FineTuned, string Prompted, double FixedPerMonth, double FineTunedPer1k, double PromptedPer1k, double? RequestsPerMonth, string? Quality,
        BreakEvenChart Chart)
    {
        public static Costs Of(StudyReport report, BreakEven b) => new(
            b.FineTuned, b.Prompted, b.FixedPerMonth, b.FineTunedPer1k, b.PromptedPer1k, b.RequestsPerMonth,
            b.QualityDifference is { } q ? StudyText.Lift(report, q, adjusted: false) : null, BreakEvenChart.Of(b));
    }

    internal sealed record TrainingData(string Verdict, IReadOnlyList<string> Blockers);

    /// <summary>Each measured rung's score as a bar with its 95% interval, and the target as a dashed line.</summary>
    internal sealed record LadderChart(int Width, int Height, int Left, IReadOnlyList<LadderBar> Bars, LadderTarget? Target)
    {
        private const int Left0 = 130, Span = 600, Row = 30;

        public static LadderChart Of(StudyReport report)
        {
            var rungs = report.Rungs.Where(r => r.Evidence is { } e && !double.IsNaN(e.Value)).ToList();
            double X(double? value) => Left0 + (Math.Clamp((value ?? 0) * 100 / report.FullScale, 0, 100) * Span / 100);
            var bottom = rungs.Count * Row;
            return new LadderChart(
                Left0 + Span + 60,
                bottom + 30,
                Left0,
                [.. rungs.Select((rung, i) =>
                {
                    var e = rung.Evidence!;
                    var y = (i * Row) + 5;
                    return new LadderBar(
                        rung.Rung, y + 15, y + 3, X(e.Value) - Left0, e.MeetsTargets == true ? "#00798c" : "#9aa5b1",
                        e.Lower is { } lo && e.Upper is { } hi ? new IntervalLine(X(lo), X(hi), y + 11) : null, X(e.Value) + 6, report.Points(e.Value));
                })],
                report.Target is { } target ? new LadderTarget(X(target), bottom + 5, X(target) - 20, bottom + 22, report.Points(target)) : null);
        }
    }

    /// <param name="Value">The score on 0-100, written at <paramref name="ValueX"/>.</param>
    internal sealed record LadderBar(string Rung, int TextY, int BarY, double BarWidth, string Colour, IntervalLine? Interval, double ValueX, double? Value);

    internal sealed record IntervalLine(double X1, double X2, int Y);

    internal sealed record LadderTarget(double X, int Bottom, double TextX, int TextY, double? Value);

    /// <summary>Each rung's items as one bar: the failing share of each category, the rest passed.</summary>
    internal sealed record MixChart(int Width, int Height, IReadOnlyList<MixRow> Rows, int LegendY, int LegendTextY, IReadOnlyList<LegendEntry> Legend)
    {
        private const int Left = 130, Span = 600, Row = 26, LegendStep = 130;
        private const string Passed = "#e8eef1";

        public static MixChart Of(StudyReport report)
        {
            var rungs = report.Rungs.Where(r => r.Evidence is not null).ToList();
            var rows = rungs.Select((rung, i) =>
            {
                var x = (double)Left;
                var segments = new List<MixSegment>();
                foreach (var (share, colour) in rung.Evidence!.Failures.Shares.Zip(MixColours))
                {
                    segments.Add(new MixSegment(x, share.Share * Span, colour, Recommender.Words(share.Category), share.Count));
                    x += share.Share * Span;
                }

                return new MixRow(rung.Rung, (i * Row) + 15, (i * Row) + 3, segments, x, Left + Span - x, Passed);
            });
            var legend = Enum.GetValues<FailureCategory>().Zip(MixColours).Select(p => (Category: Recommender.Words(p.First), Colour: p.Second))
                .Append((Category: "passed", Colour: Passed))
                .Select((c, i) => new LegendEntry(Left + (i * LegendStep), Left + (i * LegendStep) + 16, c.Colour, c.Category));
            return new MixChart(Left + Span + 20, (rungs.Count * Row) + 30, [.. rows], (rungs.Count * Row) + 10, (rungs.Count * Row) + 20, [.. legend]);
        }
    }

    /// <param name="RestX">Where the passed rest of the bar starts, <paramref name="RestWidth"/> wide.</param>
    internal sealed record MixRow(string Rung, int TextY, int BarY, IReadOnlyList<MixSegment> Segments, double RestX, double RestWidth, string RestColour);

    internal sealed record MixSegment(double X, double Width, string Colour, string Category, int Count);

    internal sealed record LegendEntry(int X, int TextX, string Colour, string Category);

    /// <summary>Monthly cost against monthly requests for the fine-tuned and the prompted rung, with the crossing marked.</summary>
    internal sealed record BreakEvenChart(
        int Width,
        int Height,
        int Left,
        int Right,
        int Top,
        int Bottom,
        int AxisLabelX,
        int AxisLabelY,
        int MaxCostY,
        double MaxRequests,
        double MaxCost,
        IReadOnlyList<CostLine> Lines,
        CostPoint? Crossing)
    {
        private const int Left0 = 70, Span = 560, Tall = 220, Top0 = 10;

        public static BreakEvenChart Of(BreakEven b)
        {
            var maxX = b.RequestsPerMonth is { } v && v > 0 ? v * 2 : 100_000;
            var maxY = Math.Max(b.FineTunedMonthly(maxX), b.PromptedMonthly(maxX));
            maxY = maxY <= 0 ? 1 : maxY;
            double X(double requests) => Left0 + (requests / maxX * Span);
            double Y(double cost) => Top0 + Tall - (cost / maxY * Tall);
            CostLine Line(string rung, Func<double, double> monthly, string colour) =>
                new(rung, X(0), Y(monthly(0)), X(maxX), Y(monthly(maxX)), X(maxX) + 6, Y(monthly(maxX)) + 4, colour);
            return new BreakEvenChart(
                Left0 + Span + 160, Tall + 50, Left0, Left0 + Span, Top0, Top0 + Tall, Left0 + Span - 150, Top0 + Tall + 32, Top0 + 12, maxX, maxY,
                [Line(b.FineTuned, b.FineTunedMonthly, "#00798c"), Line(b.Prompted, b.PromptedMonthly, "#edae49")],
                b.RequestsPerMonth is { } crossing
                    ? new CostPoint(X(crossing), Y(b.PromptedMonthly(crossing)), X(crossing) + 8, Y(b.PromptedMonthly(crossing)) + 18, crossing)
                    : null);
        }
    }

    /// <param name="TextX">Where the rung's name is written, at the line's end.</param>
    internal sealed record CostLine(string Rung, double X1, double Y1, double X2, double Y2, double TextX, double TextY, string Colour);

    internal sealed record CostPoint(double X, double Y, double TextX, double TextY, double Requests);
}
