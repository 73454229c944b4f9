namespace AdaptLab.Core.Reports;

/// <summary>
/// One self-contained HTML file (no CDN, works offline): the report data as JSON inside the page,
/// rendered by a small inline script into charts, tables and a filterable item list.
/// </summary>
public static class HtmlReport
{
    private static readonly Lazy<string> Template = new(() =>
    {
        using var stream = typeof(HtmlReport).Assembly.GetManifestResourceStream("report.html")
            ?? throw new InvalidOperationException("the HTML report template is not embedded");
        return new StreamReader(stream).ReadToEnd();
    });

    public static string Render(RunReport report)
    {
        // "<" is escaped so no string in the data can close the <script> element it sits in.
        var json = JsonReport.Render(report).Replace("<", "\\u003c", StringComparison.Ordinal);
        return Template.Value.Replace("/*REPORT_DATA*/", json, StringComparison.Ordinal);
    }
}
