using System.Globalization;
using System.Text.Json;
using CsvHelper;
using AdaptLab.Core.Evidence;
using AdaptLab.Core.Tasks;

namespace AdaptLab.Core.Reports;

/// <summary>
/// One row per item and variant, for a spreadsheet or pandas: the input, the reply and what the
/// metrics read of it, the expected output, each metric's score on the report's 0-100 scale with its
/// reason, and the call's error. RFC 4180 via CsvHelper, so cells may hold commas, quotes and line breaks.
/// </summary>
internal static class CsvReport
{
    public static string Render(RunReport report)
    {
        var withReasons = report.Metrics
            .Where(m => report.Items.Any(i => i.Outputs.Any(o => o.Scores.TryGetValue(m, out var s) && s.Reason is not null)))
            .ToHashSet(StringComparer.Ordinal);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using var csv = CsvWriter.Create(text, null, leaveOpen: true);
        var header = new List<string> { "item_index", "id", "variant", "input", "expected", "output", "parsed", "error", "latency_ms" };
        foreach (var metric in report.Metrics)
        {
            header.Add(metric);
            if (withReasons.Contains(metric))
            {
                header.Add(metric + "_reason");
            }
        }

        csv.WriteRecord([.. header]);
        foreach (var item in report.Items)
        {
            foreach (var output in item.Outputs)
            {
                var row = new List<string?>
                {
                    item.Index.ToString(CultureInfo.InvariantCulture),
                    item.Id,
                    output.Variant,
                    item.Input,
                    // Several references (SQuAD answers, summaries) stay one cell: a JSON array.
                    item.Expected.Count == 1 ? item.Expected[0] : JsonSerializer.Serialize(item.Expected, FieldPath.Unescaped),
                    output.Output,
                    output.Parsed,
                    output.Error,
                    output.LatencyMs?.ToString("0.#", CultureInfo.InvariantCulture),
                };
                foreach (var metric in report.Metrics)
                {
                    var score = output.Scores.GetValueOrDefault(metric);
                    row.Add(score is null ? null : report.Points(metric, score.Value)?.ToString("0.####", CultureInfo.InvariantCulture));
                    if (withReasons.Contains(metric))
                    {
                        row.Add(score?.Reason);
                    }
                }

                csv.WriteRecord([.. row.Select(cell => cell ?? string.Empty)]);
            }
        }

        csv.Flush();
        return text.ToString();
    }
}
