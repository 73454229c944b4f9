using System.Text.Json;
using AdaptLab.Core.Evidence;

namespace AdaptLab.Core.Reports;

/// <summary>
/// One self-contained HTML file (no CDN, works offline): the report data as JSON inside the page,
/// rendered by a small inline script into charts, tables and a filterable item list (Templates/run.html.liquid).
/// </summary>
internal static class HtmlReport
{
    public static string Render(RunReport report) => ReportTemplates.Render("run.html", new RunHtml(
        JsonReport.Render(report),
        JsonSerializer.Serialize(report.Comparisons.Select(c => new[] { Format.PValue(c.PValue), Format.PValue(c.AdjustedPValue) }))));
}

/// <param name="Json">The report as <c>report --format json</c> writes it, for the page's script to read.</param>
/// <param name="PValues">Each comparison's p-value and Holm-adjusted p-value as <see cref="Format.PValue"/> writes them, so
/// the page shows them as the console and the other reports do.</param>
internal sealed record RunHtml(string Json, string PValues);
