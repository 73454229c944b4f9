using System.Globalization;
using System.Net;
using System.Text;
using AdaptLab.Core.Decision;
using AdaptLab.Core.Ladder;
using static AdaptLab.Core.Reports.StudyText;

namespace AdaptLab.Core.Reports;

/// <summary>
/// A study as one self-contained HTML page (no script, no CDN): the recommendation, the ladder with its intervals, the
/// failure mix, the probes and the break-even chart, drawn as inline SVG.
/// </summary>
public static class StudyHtml
{
    private const string Style = """
        <style>
        body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; padding: 0 1rem; }
        h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
        .decision { border-left: 6px solid #00798c; background: #f2f8f9; padding: .8rem 1.2rem; }
        .decision.none { border-color: #d1495b; background: #fbf1f2; }
        .outcome { font-size: 1.3rem; font-weight: 600; }
        table { border-collapse: collapse; width: 100%; margin: .5rem 0; } th, td { border-bottom: 1px solid #eee; padding: .3rem .5rem; text-align: left; vertical-align: top; }
        th { background: #fafafa; } .muted { color: #777; } svg text { font: 12px system-ui, sans-serif; }
        </style>
        """;

    private static readonly string[] MixColours = ["#d1495b", "#edae49", "#00798c", "#66637a"];

    public static string Render(StudyReport report)
    {
        var rec = report.Recommendation;
        var html = new StringBuilder();
        html.Append($"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{E(report.Task)}: {E(Recommendation.Words(rec.Outcome))}</title>
            {Style}</head><body>
            <h1>{E(report.Task)}</h1>
            <p class="muted">Study {E(report.Study.Id)} · run {E(report.RunId)} · started {report.Study.StartedAt:yyyy-MM-dd HH:mm} UTC · judged on {E(report.Metric)} (0-100){(report.Target is { } t ? $", target {Points(report, t)}" : string.Empty)}</p>
            <div class="decision{(rec.Outcome == Outcome.NoneMeetsTargets ? " none" : string.Empty)}" id="recommendation">
            <div class="outcome">Recommendation: {E(Recommendation.Words(rec.Outcome))}</div>
            <p>{E(rec.Summary)}.</p>
            <strong>Evidence</strong><ul>{string.Concat(rec.Evidence.Select(e => $"<li>{E(e)}</li>"))}</ul>
            {(rec.WouldChange.Count > 0 ? $"<strong>What would change it</strong><ul>{string.Concat(rec.WouldChange.Select(e => $"<li>{E(e)}</li>"))}</ul>" : string.Empty)}
            </div>
            <h2>The ladder</h2>
            """);
        html.Append(LadderChart(report));
        html.Append($"<table id=\"ladder\"><tr><th>rung</th><th>from variant</th><th>status</th><th>{E(report.Metric)} [95% CI]</th><th>lift</th><th>cost / 1k</th><th>p50 / p95 ms</th><th>tokens in / out / retrieved</th><th>training</th></tr>");
        foreach (var rung in report.Rungs)
        {
            var e = rung.Evidence;
            html.Append($"<tr><td>{E(rung.Rung)}</td><td>{E(rung.SourceVariant)}</td><td>{E(Status(rung))}</td>" +
                $"<td>{(e is null ? "–" : E($"{Points(report, e.Value)} {Interval(report, e.Lower, e.Upper)}"))}</td><td>{E(Lift(report, e?.Lift))}</td>" +
                $"<td>{Money(e?.Cost.CostPer1k)}</td><td>{Number(e?.Cost.LatencyP50Ms)} / {Number(e?.Cost.LatencyP95Ms)}</td>" +
                $"<td>{Number(e?.Cost.InputTokens, "0.#")} / {Number(e?.Cost.OutputTokens, "0.#")} / {Number(e?.Cost.RetrievalTokens, "0.#")}</td>" +
                $"<td>{(e?.Cost.TrainingSeconds is { } s ? E($"{Number(s, "0.0")} s, {Money(e.Cost.TrainingCost)}") : "–")}</td></tr>");
        }

        html.Append("</table><h2>Why items fail</h2>");
        html.Append(MixChart(report));
        html.Append("<table id=\"failures\"><tr><th>rung</th><th>failed</th><th>format</th><th>knowledge gap</th><th>inconsistency</th><th>capability gap</th><th>measured by</th></tr>");
        foreach (var rung in report.Rungs.Where(r => r.Evidence is not null))
        {
            html.Append($"<tr><td>{E(rung.Rung)}</td><td>{rung.Evidence!.Failures.Failed} of {rung.Evidence.Failures.Items}</td>" +
                string.Concat(FailureShareView.Of(rung.Evidence).Select(s => $"<td>{E(Share(s))}</td>")) +
                $"<td>{E(string.Join("; ", rung.Evidence.Failures.Measured))}</td></tr>");
        }

        html.Append("</table>");
        if (report.Probes.Count > 0)
        {
            html.Append("<p>Probes of the prompt rung (not rungs):</p><table id=\"probes\"><tr><th>probe</th><th>metric</th><th>value [95% CI]</th><th>items</th></tr>");
            html.Append(string.Concat(report.Probes.Select(p => $"<tr><td>{E(p.Name)}</td><td>{E(p.Metric)}</td><td>{E(ProbePoints(p))}</td><td>{p.N}</td></tr>")));
            html.Append("</table>");
        }

        if (report.BreakEven is { } b)
        {
            html.Append("<h2>Cost break-even</h2>").Append(BreakEvenChart(b));
            html.Append($"<p id=\"break-even\">{E(b.FineTuned)}: {Money(b.FixedPerMonth)} a month fixed + {Money(b.FineTunedPer1k)} per 1,000 requests; " +
                $"{E(b.Prompted)}: {Money(b.PromptedPer1k)} per 1,000 requests. " +
                (b.RequestsPerMonth is { } v ? $"Break-even at <strong>{Number(v, "N0")} requests a month</strong>." : "The fine-tuned rung is never cheaper at these prices.") +
                (b.QualityDifference is { } q ? $" Quality: {E(Lift(report, q, adjusted: false))}." : string.Empty) + "</p>");
        }

        if (report.Readiness is { } readiness)
        {
            html.Append($"<p>Training data: {E(ReadinessText.Verdict(readiness.Verdict))}{E(readiness.Blockers.Count > 0 ? " (" + string.Join("; ", readiness.Blockers) + ")" : string.Empty)}.</p>");
        }

        html.Append("<h2>How the numbers were computed</h2><ul class=\"muted\">");
        html.Append(string.Concat(report.Assumptions.Select(a => $"<li>{E(a)}</li>")));
        html.Append("</ul></body></html>\n");
        return html.ToString();
    }

    /// <summary>Each measured rung's score as a bar with its 95% interval, and the target as a dashed line.</summary>
    private static string LadderChart(StudyReport report)
    {
        var rungs = report.Rungs.Where(r => r.Evidence is { } e && !double.IsNaN(e.Value)).ToList();
        const int left = 130, width = 600, row = 30;
        var svg = new StringBuilder($"<svg id=\"ladder-chart\" width=\"{left + width + 60}\" height=\"{(rungs.Count * row) + 30}\" role=\"img\" aria-label=\"{E(report.Metric)} per rung with 95% intervals\">");
        double X(double? value) => left + (Math.Clamp((value ?? 0) * 100 / report.FullScale, 0, 100) * width / 100);
        for (var i = 0; i < rungs.Count; i++)
        {
            var e = rungs[i].Evidence!;
            var y = (i * row) + 5;
            var colour = e.MeetsTargets == true ? "#00798c" : "#9aa5b1";
            svg.Append(Invariant($"<text x=\"0\" y=\"{y + 15}\">{E(rungs[i].Rung)}</text><rect x=\"{left}\" y=\"{y + 3}\" width=\"{X(e.Value) - left:0.#}\" height=\"16\" fill=\"{colour}\"/>"));
            if (e.Lower is { } lo && e.Upper is { } hi)
            {
                svg.Append(Invariant($"<line x1=\"{X(lo):0.#}\" x2=\"{X(hi):0.#}\" y1=\"{y + 11}\" y2=\"{y + 11}\" stroke=\"#222\" stroke-width=\"2\"/>"));
            }

            svg.Append(Invariant($"<text x=\"{X(e.Value) + 6:0.#}\" y=\"{y + 15}\">{Points(report, e.Value)}</text>"));
        }

        if (report.Target is { } target)
        {
            svg.Append(Invariant($"<line x1=\"{X(target):0.#}\" x2=\"{X(target):0.#}\" y1=\"0\" y2=\"{rungs.Count * row + 5}\" stroke=\"#d1495b\" stroke-dasharray=\"4 3\"/>"));
            svg.Append(Invariant($"<text x=\"{X(target) - 20:0.#}\" y=\"{(rungs.Count * row) + 22}\" fill=\"#d1495b\">target {Points(report, target)}</text>"));
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>Each rung's items as one bar: the failing share of each category, the rest passed.</summary>
    private static string MixChart(StudyReport report)
    {
        var rungs = report.Rungs.Where(r => r.Evidence is not null).ToList();
        const int left = 130, width = 600, row = 26;
        var svg = new StringBuilder($"<svg id=\"failure-chart\" width=\"{left + width + 20}\" height=\"{(rungs.Count * row) + 30}\" role=\"img\" aria-label=\"failure mix per rung\">");
        for (var i = 0; i < rungs.Count; i++)
        {
            var y = i * row;
            var x = (double)left;
            svg.Append(Invariant($"<text x=\"0\" y=\"{y + 15}\">{E(rungs[i].Rung)}</text>"));
            foreach (var (share, colour) in rungs[i].Evidence!.Failures.Shares.Zip(MixColours))
            {
                var w = share.Share * width;
                svg.Append(Invariant($"<rect x=\"{x:0.#}\" y=\"{y + 3}\" width=\"{w:0.#}\" height=\"16\" fill=\"{colour}\"><title>{E(Recommender.Words(share.Category))}: {share.Count}</title></rect>"));
                x += w;
            }

            svg.Append(Invariant($"<rect x=\"{x:0.#}\" y=\"{y + 3}\" width=\"{left + width - x:0.#}\" height=\"16\" fill=\"#e8eef1\"/>"));
        }

        var legendX = left;
        foreach (var (category, colour) in Enum.GetValues<Diagnosis.FailureCategory>().Zip(MixColours).Select(p => (Recommender.Words(p.First), p.Second)).Append(("passed", "#e8eef1")))
        {
            svg.Append(Invariant($"<rect x=\"{legendX}\" y=\"{(rungs.Count * row) + 10}\" width=\"12\" height=\"12\" fill=\"{colour}\"/><text x=\"{legendX + 16}\" y=\"{(rungs.Count * row) + 20}\">{E(category)}</text>"));
            legendX += 130;
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>Monthly cost against monthly requests for the fine-tuned and the prompted rung, with the crossing marked.</summary>
    private static string BreakEvenChart(BreakEven b)
    {
        const int left = 70, width = 560, height = 220, top = 10;
        var maxX = b.RequestsPerMonth is { } v && v > 0 ? v * 2 : 100_000;
        var maxY = Math.Max(b.FineTunedMonthly(maxX), b.PromptedMonthly(maxX));
        maxY = maxY <= 0 ? 1 : maxY;
        double X(double requests) => left + (requests / maxX * width);
        double Y(double cost) => top + height - (cost / maxY * height);
        var svg = new StringBuilder(Invariant($"<svg id=\"break-even-chart\" width=\"{left + width + 160}\" height=\"{height + 50}\" role=\"img\" aria-label=\"monthly cost by monthly requests\">"));
        svg.Append(Invariant($"<line x1=\"{left}\" y1=\"{top + height}\" x2=\"{left + width}\" y2=\"{top + height}\" stroke=\"#999\"/><line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{top + height}\" stroke=\"#999\"/>"));
        svg.Append(Invariant($"<text x=\"{left + width - 150}\" y=\"{top + height + 32}\">requests a month (max {maxX:N0})</text><text x=\"0\" y=\"{top + 12}\">{maxY:0.##}</text><text x=\"0\" y=\"{top + height}\">0</text>"));
        foreach (var (name, at0, atMax, colour) in new[] { (b.FineTuned, b.FineTunedMonthly(0), b.FineTunedMonthly(maxX), "#00798c"), (b.Prompted, b.PromptedMonthly(0), b.PromptedMonthly(maxX), "#edae49") })
        {
            svg.Append(Invariant($"<line x1=\"{X(0):0.#}\" y1=\"{Y(at0):0.#}\" x2=\"{X(maxX):0.#}\" y2=\"{Y(atMax):0.#}\" stroke=\"{colour}\" stroke-width=\"2.5\"/>"));
            svg.Append(Invariant($"<text x=\"{X(maxX) + 6:0.#}\" y=\"{Y(atMax) + 4:0.#}\" fill=\"{colour}\">{E(name)}</text>"));
        }

        if (b.RequestsPerMonth is { } crossing)
        {
            svg.Append(Invariant($"<circle cx=\"{X(crossing):0.#}\" cy=\"{Y(b.PromptedMonthly(crossing)):0.#}\" r=\"5\" fill=\"#d1495b\"/>"));
            svg.Append(Invariant($"<text x=\"{X(crossing) + 8:0.#}\" y=\"{Y(b.PromptedMonthly(crossing)) + 18:0.#}\">break-even {crossing:N0}</text>"));
        }

        return svg.Append("</svg>").ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
