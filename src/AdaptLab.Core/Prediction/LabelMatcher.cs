using AdaptLab.Core.Store;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AdaptLab.Core.Prediction;

/// <summary>How a classification reply was matched to the task's closed label set.</summary>
internal enum LabelMatchKind
{
    /// <summary>The reply, or its first line, is a label as written.</summary>
    Exact,

    /// <summary>Equal after case folding, surrounding punctuation and a leading <c>Label:</c>-style prefix are removed.</summary>
    Normalized,

    /// <summary>One label stands quoted in a sentence, and no other label occurs in the reply.</summary>
    Quoted,

    /// <summary>No label could be read without guessing; the reply counts as wrong for every metric.</summary>
    Invalid,
}

/// <param name="Label">The matched label, or null when <paramref name="Kind"/> is <see cref="LabelMatchKind.Invalid"/>.</param>
internal sealed record LabelMatch(string? Label, LabelMatchKind Kind);

/// <summary>
/// Reads a classification reply against the closed label set, in order: exact, normalised, a single
/// quoted label. Anything else is invalid, never mapped to the nearest label: a guess would hide the
/// prompt's format failures inside the accuracy.
/// </summary>
internal sealed partial class LabelMatcher
{
    private readonly HashSet<string> labels;
    private readonly Dictionary<string, string> byNormalized = new(StringComparer.Ordinal);
    private readonly Regex[] occurrences;
    private readonly string[] ordered;

    /// <summary>The label matcher of a classification run; null for other tasks and for runs stored before labels were frozen.</summary>
    public static LabelMatcher? For(RunConfig config) => config.Labels is { Count: > 0 } labels ? new LabelMatcher(labels) : null;

    public LabelMatcher(IEnumerable<string> labels)
    {
        ordered = labels.Distinct(StringComparer.Ordinal).ToArray();
        this.labels = new HashSet<string>(ordered, StringComparer.Ordinal);
        var ambiguous = new HashSet<string>(StringComparer.Ordinal);
        foreach (var label in ordered)
        {
            var key = Normalize(label);
            if (!byNormalized.TryAdd(key, label))
            {
                ambiguous.Add(key);
            }
        }

        // Two labels that differ only in case or punctuation cannot be told apart once normalised.
        foreach (var key in ambiguous)
        {
            byNormalized.Remove(key);
        }

        occurrences = ordered.Select(l => new Regex(
            @"(?<![\p{L}\p{N}_])" + Regex.Escape(l) + @"(?![\p{L}\p{N}_])",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)).ToArray();
    }

    public IReadOnlyList<string> Labels => ordered;

    public LabelMatch Match(string reply)
    {
        var whole = reply.Trim();
        var firstLine = FirstLine(whole);
        foreach (var candidate in new[] { whole, firstLine })
        {
            if (labels.Contains(candidate))
            {
                return new LabelMatch(candidate, LabelMatchKind.Exact);
            }
        }

        foreach (var candidate in new[] { whole, firstLine }.SelectMany(c => new[] { Normalize(c), Normalize(WithoutPrefix(c)) }))
        {
            if (byNormalized.TryGetValue(candidate, out var label))
            {
                return new LabelMatch(label, LabelMatchKind.Normalized);
            }
        }

        return QuotedLabel(whole) is { } quoted
            ? new LabelMatch(quoted, LabelMatchKind.Quoted)
            : new LabelMatch(null, LabelMatchKind.Invalid);
    }

    /// <summary>Case-folded and compatibility-normalised, with surrounding quotes, markup and punctuation removed.</summary>
    internal static string Normalize(string text) =>
        Strip(text).ToLower(CultureInfo.InvariantCulture).Normalize(NormalizationForm.FormKC);

    // Only the reply loses a prefix: a label that starts with "Result" must stay itself.
    private static string WithoutPrefix(string text)
    {
        var stripped = Strip(text);
        var prefix = Prefix().Match(stripped);
        return prefix.Success ? stripped[prefix.Length..] : stripped;
    }

    private string? QuotedLabel(string reply)
    {
        string? found = null;
        var spans = new List<(int Start, int End, string Label)>();
        for (var i = 0; i < ordered.Length; i++)
        {
            foreach (Match m in occurrences[i].Matches(reply))
            {
                spans.Add((m.Index, m.Index + m.Length, ordered[i]));
            }
        }

        // A label inside a longer label's occurrence ("refund" in "refund_not_showing") is not an occurrence of its own.
        var distinct = spans
            .Where(s => !spans.Any(o => o != s && o.Start <= s.Start && o.End >= s.End && o.End - o.Start > s.End - s.Start))
            .ToList();
        if (distinct.Select(s => s.Label).Distinct(StringComparer.Ordinal).Count() != 1)
        {
            return null;
        }

        foreach (var (start, end, label) in distinct)
        {
            if (start > 0 && end < reply.Length && IsQuote(reply[start - 1], reply[end]))
            {
                found = label;
            }
        }

        return found;
    }

    private static bool IsQuote(char open, char close) => (open, close) switch
    {
        ('"', '"') or ('\'', '\'') or ('`', '`') or ('“', '”') or ('‘', '’') or ('«', '»') or ('*', '*') or ('[', ']') or ('(', ')') => true,
        _ => false,
    };

    private static string FirstLine(string text)
    {
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? text : text[..newline]).Trim();
    }

    private static string Strip(string text) => text.Trim().Trim(StrippedChars).Trim();

    private static readonly char[] StrippedChars =
        ['"', '\'', '`', '*', '_', '.', ',', ';', ':', '!', '?', '“', '”', '‘', '’', '«', '»', '(', ')', '[', ']', '<', '>', ' ', '\t', '\r', '\n'];

    [GeneratedRegex(@"^(?:the\s+)?(?:label|answer|category|class|intent|sentiment|prediction|output|result|classification)\s*(?:is\s*)?[:=\-]?\s+|^[\p{L}][\p{L} _-]{0,30}:\s*", RegexOptions.IgnoreCase)]
    private static partial Regex Prefix();
}
