using System.Globalization;
using System.Net;
using System.Text;
using AdaptLab.Core.Readiness;

namespace AdaptLab.Core.Reports;

/// <summary>The readiness report as one self-contained HTML page: verdict, splits, findings with their examples.</summary>
public static class ReadinessHtml
{
    public static string Render(ReadinessReport report)
    {
        static string E(object? value) => WebUtility.HtmlEncode(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Readiness: ").Append(E(report.Task)).Append("</title><style>")
            .Append("body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:1em 0}")
            .Append("td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}td:first-child,th:first-child{text-align:left}")
            .Append(".Blocker{color:#b00020}.Warning{color:#8a5a00}.verdict{font-size:1.3em}li{margin:.3em 0}code{font-size:12px}</style></head><body>");
        html.Append("<h1>Readiness: ").Append(E(report.Task)).Append("</h1><p class=\"verdict\">Verdict: <b>").Append(E(ReadinessText.Verdict(report.Verdict))).Append("</b></p>");
        html.Append("<p>Lengths in ").Append(E(report.Tokenizer)).Append(" tokens").Append(report.ContextWindow is { } w ? $"; context window {w}" : string.Empty).Append(".</p>");
        html.Append("<table><tr><th>split</th><th>items</th><th>labels</th><th>imbalance</th><th>input tokens p50 / p95 / max</th><th>exact dup.</th><th>near dup.</th><th>conflicting</th><th>personal data</th></tr>");
        foreach (var s in report.Splits)
        {
            html.Append("<tr><td>").Append(E(s.Split)).Append("</td><td>").Append(s.Items).Append("</td><td>").Append(E(s.Labels?.Count)).Append("</td><td>")
                .Append(E(s.Imbalance?.ToString("F1", CultureInfo.InvariantCulture))).Append("</td><td>")
                .Append(CultureInfo.InvariantCulture, $"{s.InputTokens.P50} / {s.InputTokens.P95} / {s.InputTokens.Max}").Append("</td><td>")
                .Append(s.ExactDuplicates).Append("</td><td>").Append(s.NearDuplicates).Append("</td><td>").Append(s.ConflictingLabels).Append("</td><td>")
                .Append(E(string.Join(", ", s.Pii.Select(p => $"{p.Key} {p.Value}")))).Append("</td></tr>");
        }

        html.Append("</table><h2>Findings</h2>");
        html.Append(report.Findings.Count == 0 ? "<p>None.</p>" : "<ul>");
        foreach (var f in report.Findings)
        {
            html.Append("<li class=\"").Append(f.Severity).Append("\"><b>").Append(E(f.Severity == Severity.Blocker ? "blocker" : "warning")).Append("</b> <code>")
                .Append(E(f.Code)).Append("</code> ").Append(E(f.Message));
            if (f.Examples.Count > 0)
            {
                html.Append("<ul>");
                foreach (var example in f.Examples)
                {
                    html.Append("<li><code>").Append(E(example)).Append("</code></li>");
                }

                html.Append("</ul>");
            }

            html.Append("</li>");
        }

        html.Append(report.Findings.Count == 0 ? string.Empty : "</ul>");
        html.Append("<h2>How much test data</h2><p>").Append(E(ReadinessText.Power(report))).Append("</p></body></html>\n");
        return html.ToString();
    }
}

/// <summary>The sentences console and HTML share.</summary>
public static class ReadinessText
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
