using AdaptLab.Core.Readiness;

namespace AdaptLab.Core.Reports;

/// <summary>The readiness report as one self-contained HTML page: verdict, splits, findings with their examples (Templates/readiness.html.liquid).</summary>
internal static class ReadinessHtml
{
    public static string Render(ReadinessReport report) => ReportTemplates.Render("readiness.html", ReadinessView.Of(report));
}

internal sealed record ReadinessView(
    string Task, string Verdict, string Tokenizer, int? ContextWindow, IReadOnlyList<ReadinessView.Split> Splits, IReadOnlyList<ReadinessView.Issue> Findings, string Power)
{
    public static ReadinessView Of(ReadinessReport report) => new(
        report.Task,
        ReadinessText.Verdict(report.Verdict),
        report.Tokenizer,
        report.ContextWindow,
        [.. report.Splits.Select(s => new Split(
            s.Split, s.Items, s.Labels?.Count, s.Imbalance, s.InputTokens, s.ExactDuplicates, s.NearDuplicates, s.ConflictingLabels,
            [.. s.Pii.Select(p => new PiiCount(p.Key.ToString(), p.Value))]))],
        [.. report.Findings.Select(f => new Issue(f.Severity.ToString(), f.Severity == Severity.Blocker, f.Code, f.Message, f.Examples))],
        ReadinessText.Power(report));

    /// <param name="Labels">How many labels the split has; null for a task without labels.</param>
    internal sealed record Split(
        string Name, int Items, int? Labels, double? Imbalance, LengthStats InputTokens, int ExactDuplicates, int NearDuplicates, int ConflictingLabels, IReadOnlyList<PiiCount> Pii);

    internal sealed record PiiCount(string Kind, int Count);

    /// <param name="Severity">The severity's name, which is also the CSS class that colours it.</param>
    internal sealed record Issue(string Severity, bool Blocker, string Code, string Message, IReadOnlyList<string> Examples);
}
