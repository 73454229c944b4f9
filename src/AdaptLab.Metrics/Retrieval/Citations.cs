using System.Globalization;
using System.Text.RegularExpressions;

namespace AdaptLab.Metrics.Retrieval;

/// <summary>Citations of numbered chunks in an answer: <c>[1]</c>, <c>[1, 3]</c>, <c>[2][4]</c>.</summary>
public static partial class Citations
{
    public static IReadOnlyList<int> Parse(string answer) =>
        [.. Marker().Matches(answer).SelectMany(m => m.Groups[1].Value.Split(',').Select(n => int.Parse(n.Trim(), CultureInfo.InvariantCulture))).Distinct()];

    /// <summary>The answer without its citation markers, as answer metrics read it.</summary>
    public static string Strip(string answer) => SpaceBeforePunctuation().Replace(Marker().Replace(answer, string.Empty), "$1").Trim();

    [GeneratedRegex(@"\s*\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")]
    private static partial Regex Marker();

    [GeneratedRegex(@"\s+([.,;:!?])")]
    private static partial Regex SpaceBeforePunctuation();
}
