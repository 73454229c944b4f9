using AdaptLab.Core.Tasks;

namespace AdaptLab.Core.Evaluation;

/// <summary>
/// Turns a raw model output into what the task's metrics compare: for classification the label the
/// reply names (see <see cref="LabelMatcher"/>; an invalid reply keeps its first line, which matches no
/// label), the JSON object inside an extraction answer (fences and chatter removed), the trimmed text
/// otherwise.
/// </summary>
public static class OutputParser
{
    public static string Parse(TaskKind kind, string output, LabelMatcher? labels = null) => kind switch
    {
        TaskKind.Classification => labels?.Match(output).Label ?? FirstLine(output),
        TaskKind.Extraction => JsonObjectIn(output),
        TaskKind.Code => output,
        _ => output.Trim(),
    };

    private static string FirstLine(string output) =>
        output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? string.Empty;

    private static string JsonObjectIn(string output)
    {
        var start = output.IndexOf('{', StringComparison.Ordinal);
        var end = output.LastIndexOf('}');
        return start >= 0 && end > start ? output[start..(end + 1)] : output.Trim();
    }
}
