using AdaptLab.Core.Tasks;

namespace AdaptLab.Core.Prediction;

/// <summary>
/// Turns a raw model output into what the task's metrics compare: for classification the label the
/// reply names (see <see cref="LabelMatcher"/>; an invalid reply keeps its first line, which matches no
/// label), the JSON object inside an extraction answer (fences and chatter removed), the code inside
/// a chat model's fenced block (see <see cref="CodeIn"/>), the trimmed text otherwise.
/// </summary>
internal static class OutputParser
{
    public static string Parse(TaskKind kind, string output, LabelMatcher? labels = null) => kind switch
    {
        TaskKind.Classification => labels?.Match(output).Label ?? FirstLine(output),
        TaskKind.Extraction => JsonObjectIn(output),
        TaskKind.Code => CodeIn(output),
        _ => output.Trim(),
    };

    private static string FirstLine(string output) =>
        output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? string.Empty;

    /// <summary>
    /// A chat model answers "Here is the function:" and a fenced block: the program is the first block
    /// labelled python (or py, python3), else the first unlabelled one; a fence left open runs to the
    /// end. A completion model's raw continuation has no fence and is kept exactly, indentation included.
    /// </summary>
    private static string CodeIn(string output)
    {
        var lines = output.Split('\n');
        var blocks = new List<(string Label, int Start, int End)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (!line.StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }

            var label = line[3..].Trim().ToLowerInvariant();
            var end = Array.FindIndex(lines, i + 1, l => l.Trim() == "```");
            blocks.Add((label, i + 1, end < 0 ? lines.Length : end));
            if (end < 0)
            {
                break;
            }

            i = end;
        }

        var chosen = blocks.Where(b => b.Label is "python" or "py" or "python3").Concat(blocks.Where(b => b.Label.Length == 0)).ToList();
        if (chosen.Count == 0)
        {
            return output;
        }

        var (_, start, stop) = chosen[0];
        return string.Join('\n', lines[start..stop]).TrimEnd('\r') + "\n";
    }

    private static string JsonObjectIn(string output)
    {
        var start = output.IndexOf('{', StringComparison.Ordinal);
        var end = output.LastIndexOf('}');
        return start >= 0 && end > start ? output[start..(end + 1)] : output.Trim();
    }
}
