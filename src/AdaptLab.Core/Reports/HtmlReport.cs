using AdaptLab.Core.Evidence;

namespace AdaptLab.Core.Reports;

/// <summary>
/// One self-contained HTML file (no CDN, works offline): the report data as JSON inside the page,
/// rendered by a small inline script into charts, tables and a filterable item list (Templates/run.html.liquid).
/// </summary>
public static class HtmlReport
{
    public static string Render(RunReport report) => ReportTemplates.Render("run.html", new RunHtml(JsonReport.Render(report)));
}

/// <param name="Json">The report as <c>report --format json</c> writes it, for the page's script to read.</param>
internal sealed record RunHtml(string Json);
