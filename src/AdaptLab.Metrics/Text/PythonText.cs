using System.Text;

namespace AdaptLab.Metrics.Text;

/// <summary>
/// The few Python string semantics the reference implementations rely on. They differ from .NET's
/// in small ways that change scores: <c>str.split()</c> also splits on U+001C..U+001F, and
/// <c>str.lower()</c> maps U+0130 to two characters and a final capital sigma to 'ς'.
/// </summary>
internal static class PythonText
{
    /// <summary>Python's <c>str.isspace()</c> for one UTF-16 unit (all Python whitespace is in the BMP).</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\u001c' and <= '\u001f';

    /// <summary>Python's <c>str.lower()</c>.</summary>
    public static string Lower(string text)
    {
        var needsSpecialCase = text.AsSpan().IndexOfAny('\u0130', '\u03a3') >= 0;
        if (!needsSpecialCase)
        {
            return text.ToLowerInvariant();
        }

        var sb = new StringBuilder(text.Length + 4);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\u0130')
            {
                sb.Append("i\u0307");
            }
            else if (c == '\u03a3')
            {
                sb.Append(IsFinalSigma(text, i) ? '\u03c2' : '\u03c3');
            }
            else
            {
                sb.Append(char.ToLowerInvariant(c));
            }
        }

        return sb.ToString();
    }

    /// <summary>Python's <c>str.rstrip()</c>.</summary>
    public static ReadOnlySpan<char> TrimEnd(ReadOnlySpan<char> text)
    {
        var end = text.Length;
        while (end > 0 && IsSpace(text[end - 1]))
        {
            end--;
        }

        return text[..end];
    }

    /// <summary>Python's <c>str.strip()</c>.</summary>
    public static ReadOnlySpan<char> Trim(ReadOnlySpan<char> text)
    {
        var start = 0;
        while (start < text.Length && IsSpace(text[start]))
        {
            start++;
        }

        return TrimEnd(text[start..]);
    }

    /// <summary>Appends the (start, length) of each token of Python's <c>text.split()</c> to <paramref name="tokens"/>.</summary>
    public static void SplitWhitespace(ReadOnlySpan<char> text, List<TokenSpan> tokens)
    {
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && IsSpace(text[i]))
            {
                i++;
            }

            var start = i;
            while (i < text.Length && !IsSpace(text[i]))
            {
                i++;
            }

            if (i > start)
            {
                tokens.Add(new TokenSpan(start, i - start));
            }
        }
    }

    /// <summary>Python's <c>str.split()</c>, allocating one string per token; for cold paths.</summary>
    public static List<string> SplitWhitespace(string text)
    {
        var spans = new List<TokenSpan>();
        SplitWhitespace(text, spans);
        var words = new List<string>(spans.Count);
        foreach (var s in spans)
        {
            words.Add(text.Substring(s.Start, s.Length));
        }

        return words;
    }

    /// <summary>
    /// Whether the code point at <paramref name="index"/> is Python's <c>\w</c> for str patterns:
    /// letters, all numerics (Nd, Nl, No) and '_'; not marks, unlike .NET's \w.
    /// </summary>
    public static bool IsWordCharAt(ReadOnlySpan<char> text, int index, out int width)
    {
        if (Rune.DecodeFromUtf16(text[index..], out var rune, out width) != System.Buffers.OperationStatus.Done)
        {
            width = 1;
            return false;
        }

        return Rune.IsLetter(rune) || Rune.IsNumber(rune) || rune.Value == '_';
    }

    // Unicode's Final_Sigma condition, as CPython applies it: a cased letter before (skipping
    // case-ignorable characters) and none after.
    private static bool IsFinalSigma(string text, int index)
    {
        var j = index - 1;
        while (j >= 0 && IsCaseIgnorable(text[j]))
        {
            j--;
        }

        if (j < 0 || !IsCased(text[j]))
        {
            return false;
        }

        var k = index + 1;
        while (k < text.Length && IsCaseIgnorable(text[k]))
        {
            k++;
        }

        return k == text.Length || !IsCased(text[k]);
    }

    private static bool IsCased(char c) => char.IsUpper(c) || char.IsLower(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.TitlecaseLetter;

    private static bool IsCaseIgnorable(char c) => char.GetUnicodeCategory(c) is
        System.Globalization.UnicodeCategory.NonSpacingMark or
        System.Globalization.UnicodeCategory.EnclosingMark or
        System.Globalization.UnicodeCategory.Format or
        System.Globalization.UnicodeCategory.ModifierLetter or
        System.Globalization.UnicodeCategory.ModifierSymbol
        || c is '\'' or '.' or ':' or '\u00b7' or '\u2019';
}

/// <summary>A token as a slice of its source text.</summary>
internal readonly record struct TokenSpan(int Start, int Length);
