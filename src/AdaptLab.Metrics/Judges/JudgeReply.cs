using System.Globalization;
using System.Text.RegularExpressions;

namespace AdaptLab.Metrics.Judges;

/// <summary>
/// Reads a judge's verdict from its reply: the last <c>Score: N</c> line (pointwise) or <c>Winner: A|B|tie</c> line
/// (pairwise). A reply without one, or with a score off the scale, is a parse failure with its reason: never a zero.
/// </summary>
public static partial class JudgeReply
{
    public static (double? Score, string? Error) Score(string reply, double min, double max)
    {
        var matches = ScoreLine().Matches(reply);
        if (matches.Count == 0)
        {
            return (null, $"no 'Score: N' line in the judge's reply: {Excerpt(reply)}");
        }

        var score = double.Parse(matches[^1].Groups[1].Value, CultureInfo.InvariantCulture);
        return score < min || score > max
            ? (null, string.Create(CultureInfo.InvariantCulture, $"the judge's score {score} is off the scale {min}-{max}"))
            : (score, null);
    }

    /// <returns>"A", "B" or "tie"; null with the reason when the reply names none.</returns>
    public static (string? Winner, string? Error) Winner(string reply)
    {
        var matches = WinnerLine().Matches(reply);
        return matches.Count == 0
            ? (null, $"no 'Winner: A', 'Winner: B' or 'Winner: tie' line in the judge's reply: {Excerpt(reply)}")
            : (matches[^1].Groups[1].Value.ToUpperInvariant() is "TIE" ? "tie" : matches[^1].Groups[1].Value.ToUpperInvariant(), null);
    }

    private static string Excerpt(string reply) => reply.Length <= 200 ? $"\"{reply}\"" : $"\"{reply[..200]}…\"";

    [GeneratedRegex(@"^\W*score\W*:\s*\**\s*(-?\d+(?:\.\d+)?)", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex ScoreLine();

    [GeneratedRegex(@"^\W*winner\W*:\s*\**\s*(A|B|tie)\b", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex WinnerLine();
}
