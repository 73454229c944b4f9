using System.Globalization;
using System.Text;

namespace AdaptLab.Metrics.Text;

/// <summary>The sacrebleu tokenizers this project reproduces (sacrebleu's <c>tokenize</c> argument).</summary>
public enum BleuTokenizer
{
    /// <summary><c>13a</c>: mteval-v13a, sacrebleu's default.</summary>
    Mteval13a,

    /// <summary><c>intl</c>: mteval-v14 international (Unicode punctuation and symbols).</summary>
    International,

    /// <summary><c>char</c>: every non-space character is a token.</summary>
    Character,

    /// <summary><c>none</c>: split on whitespace only.</summary>
    None,

    /// <summary><c>zh</c>: Chinese characters split apart, the rest as 13a.</summary>
    Chinese,
}

/// <summary>
/// Writes a sentence in sacrebleu's tokenized form (tokens separated by whitespace) into a reusable
/// buffer. One instance per thread: it keeps scratch buffers.
/// </summary>
internal sealed class BleuTokenizerRunner(BleuTokenizer kind)
{
    private readonly MtevalRegexps _regexps = new();
    private readonly CharBuffer _scratch = new();
    private readonly CharBuffer _scratch2 = new();

    /// <summary>Tokenizes an already lowercased (if asked) and right-stripped line.</summary>
    public ReadOnlySpan<char> Tokenize(ReadOnlySpan<char> line) => kind switch
    {
        BleuTokenizer.Mteval13a => Mteval13a(line),
        BleuTokenizer.International => International(line),
        BleuTokenizer.Character => Character(line),
        BleuTokenizer.None => line,
        BleuTokenizer.Chinese => Chinese(line),
        _ => throw new InvalidOperationException(kind.ToString()),
    };

    private ReadOnlySpan<char> Mteval13a(ReadOnlySpan<char> line)
    {
        _scratch.Clear();
        _scratch.Append(' ');
        if (line.IndexOfAny('<', '&', '\n') >= 0)
        {
            // Sequential whole-string replacements, in sacrebleu's order (the order matters: "&amp;lt;").
            var s = new string(line)
                .Replace("<skipped>", "", StringComparison.Ordinal)
                .Replace("-\n", "", StringComparison.Ordinal)
                .Replace("\n", " ", StringComparison.Ordinal)
                .Replace("&quot;", "\"", StringComparison.Ordinal)
                .Replace("&amp;", "&", StringComparison.Ordinal)
                .Replace("&lt;", "<", StringComparison.Ordinal)
                .Replace("&gt;", ">", StringComparison.Ordinal);
            _scratch.Append(s);
        }
        else
        {
            _scratch.Append(line);
        }

        _scratch.Append(' ');
        return _regexps.Apply(_scratch.Span);
    }

    private ReadOnlySpan<char> Chinese(ReadOnlySpan<char> line)
    {
        _scratch.Clear();
        foreach (var c in PythonText.Trim(line))
        {
            if (IsSacrebleuChineseChar(c))
            {
                _scratch.Append(' ');
                _scratch.Append(c);
                _scratch.Append(' ');
            }
            else
            {
                _scratch.Append(c);
            }
        }

        return _regexps.Apply(_scratch.Span);
    }

    private ReadOnlySpan<char> Character(ReadOnlySpan<char> line)
    {
        // " ".join(line) iterates code points, so a surrogate pair stays one token.
        _scratch.Clear();
        for (var i = 0; i < line.Length; i++)
        {
            _scratch.Append(line[i]);
            if (!char.IsHighSurrogate(line[i]) || i + 1 >= line.Length || !char.IsLowSurrogate(line[i + 1]))
            {
                _scratch.Append(' ');
            }
        }

        return _scratch.Span;
    }

    // The three passes of mteval-v14's international tokenization, on code points:
    // (\P{N})(\p{P}) -> '\1 \2 ', then (\p{P})(\P{N}) -> ' \1 \2', then (\p{S}) -> ' \1 '.
    private ReadOnlySpan<char> International(ReadOnlySpan<char> line)
    {
        _scratch.Clear();
        for (var i = 0; i < line.Length;)
        {
            var first = RuneAt(line, i);
            var next = i + first.Utf16SequenceLength;
            if (next < line.Length && !IsNumber(first) && IsPunctuation(RuneAt(line, next)))
            {
                var second = RuneAt(line, next);
                _scratch.Append(line.Slice(i, first.Utf16SequenceLength));
                _scratch.Append(' ');
                _scratch.Append(line.Slice(next, second.Utf16SequenceLength));
                _scratch.Append(' ');
                i = next + second.Utf16SequenceLength;
            }
            else
            {
                _scratch.Append(line.Slice(i, first.Utf16SequenceLength));
                i = next;
            }
        }

        _scratch2.Clear();
        var s = _scratch.Span;
        for (var i = 0; i < s.Length;)
        {
            var first = RuneAt(s, i);
            var next = i + first.Utf16SequenceLength;
            if (next < s.Length && IsPunctuation(first) && !IsNumber(RuneAt(s, next)))
            {
                var secondLength = RuneAt(s, next).Utf16SequenceLength;
                _scratch2.Append(' ');
                _scratch2.Append(s.Slice(i, first.Utf16SequenceLength));
                _scratch2.Append(' ');
                _scratch2.Append(s.Slice(next, secondLength));
                i = next + secondLength;
            }
            else
            {
                _scratch2.Append(s.Slice(i, first.Utf16SequenceLength));
                i = next;
            }
        }

        _scratch.Clear();
        s = _scratch2.Span;
        for (var i = 0; i < s.Length;)
        {
            var rune = RuneAt(s, i);
            var unit = s.Slice(i, rune.Utf16SequenceLength);
            if (IsSymbol(rune))
            {
                _scratch.Append(' ');
                _scratch.Append(unit);
                _scratch.Append(' ');
            }
            else
            {
                _scratch.Append(unit);
            }

            i += rune.Utf16SequenceLength;
        }

        return _scratch.Span;
    }

    /// <summary>
    /// sacrebleu's <c>_UCODE_RANGES</c> as Python evaluates them. Two of its bounds are written
    /// '\u20000' and '\u2f800', which Python reads as two characters each, so those ranges really
    /// cover U+2001..U+2A6D and U+2F81..U+2FA1 (general punctuation, arrows, maths symbols...).
    /// The first swallows its U+2600..U+27BF ranges, which are therefore not listed.
    /// </summary>
    internal static bool IsSacrebleuChineseChar(char c) => c switch
    {
        >= '\u3400' and <= '\u4db5' => true,
        >= '\u4e00' and <= '\u9fa5' => true,
        >= '\u9fa6' and <= '\u9fbb' => true,
        >= '\uf900' and <= '\ufa2d' => true,
        >= '\ufa30' and <= '\ufa6a' => true,
        >= '\ufa70' and <= '\ufad9' => true,
        >= '\u2001' and <= '\u2a6d' => true,
        >= '\u2f81' and <= '\u2fa1' => true,
        >= '\uff00' and <= '\uffef' => true,
        >= '\u2e80' and <= '\u2eff' => true,
        >= '\u3000' and <= '\u303f' => true,
        >= '\u31c0' and <= '\u31ef' => true,
        >= '\u2f00' and <= '\u2fdf' => true,
        >= '\u2ff0' and <= '\u2fff' => true,
        >= '\u3100' and <= '\u312f' => true,
        >= '\u31a0' and <= '\u31bf' => true,
        >= '\ufe10' and <= '\ufe1f' => true,
        >= '\ufe30' and <= '\ufe4f' => true,
        >= '\u3200' and <= '\u32ff' => true,
        >= '\u3300' and <= '\u33ff' => true,
        _ => false,
    };

    private static Rune RuneAt(ReadOnlySpan<char> s, int index)
    {
        // A lone surrogate decodes as U+FFFD (a symbol); keep it as its own category instead.
        return Rune.DecodeFromUtf16(s[index..], out var rune, out _) == System.Buffers.OperationStatus.Done
            ? rune
            : new Rune(0xE000);
    }

    private static bool IsNumber(Rune r) => Rune.GetUnicodeCategory(r) is
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    private static bool IsPunctuation(Rune r) => Rune.GetUnicodeCategory(r) is
        UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or
        UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or
        UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation or
        UnicodeCategory.OtherPunctuation;

    private static bool IsSymbol(Rune r) => Rune.GetUnicodeCategory(r) is
        UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or
        UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol;
}
