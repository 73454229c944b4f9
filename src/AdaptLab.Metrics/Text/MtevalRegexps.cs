namespace AdaptLab.Metrics.Text;

/// <summary>
/// The four regular-expression passes of mteval-v13a as sacrebleu's <c>TokenizerRegexp</c> applies
/// them (also used by CodeXGLUE's evaluator and Tercom's normaliser), written as scans: each
/// pattern matches exactly two fixed characters, so a left-to-right scan that skips past a match
/// reproduces <c>re.sub</c>'s non-overlapping matches exactly, without a regex engine.
/// </summary>
internal sealed class MtevalRegexps
{
    private readonly CharBuffer _a = new();
    private readonly CharBuffer _b = new();

    /// <summary>Runs the passes over <paramref name="line"/>; the result is only valid until the next call.</summary>
    public ReadOnlySpan<char> Apply(ReadOnlySpan<char> line)
    {
        // ([\{-\~\[-\` -\&\(-\+\:-\@\/]) -> ' \1 '
        _a.Clear();
        foreach (var c in line)
        {
            if (IsSeparatedSymbol(c))
            {
                _a.Append(' ');
                _a.Append(c);
                _a.Append(' ');
            }
            else
            {
                _a.Append(c);
            }
        }

        return ApplyNumberRules(_a.Span);
    }

    /// <summary>The three passes after the first, which tokenize periods, commas and dashes around digits.</summary>
    public ReadOnlySpan<char> ApplyNumberRules(ReadOnlySpan<char> text)
    {
        // ([^0-9])([\.,]) -> '\1 \2 '
        _b.Clear();
        var s = text;
        for (var i = 0; i < s.Length; i++)
        {
            if (i + 1 < s.Length && !char.IsAsciiDigit(s[i]) && s[i + 1] is '.' or ',')
            {
                _b.Append(s[i]);
                _b.Append(' ');
                _b.Append(s[i + 1]);
                _b.Append(' ');
                i++;
            }
            else
            {
                _b.Append(s[i]);
            }
        }

        // ([\.,])([^0-9]) -> ' \1 \2'
        _a.Clear();
        s = _b.Span;
        for (var i = 0; i < s.Length; i++)
        {
            if (i + 1 < s.Length && s[i] is '.' or ',' && !char.IsAsciiDigit(s[i + 1]))
            {
                _a.Append(' ');
                _a.Append(s[i]);
                _a.Append(' ');
                _a.Append(s[i + 1]);
                i++;
            }
            else
            {
                _a.Append(s[i]);
            }
        }

        // ([0-9])(-) -> '\1 \2 '
        _b.Clear();
        s = _a.Span;
        for (var i = 0; i < s.Length; i++)
        {
            if (i + 1 < s.Length && char.IsAsciiDigit(s[i]) && s[i + 1] == '-')
            {
                _b.Append(s[i]);
                _b.Append(" - ");
                i++;
            }
            else
            {
                _b.Append(s[i]);
            }
        }

        return _b.Span;
    }

    /// <summary>The pattern's class <c>{-~ [-` space-&amp; (-+ :-@ /</c>: ASCII punctuation but ' , - and .</summary>
    public static bool IsSeparatedSymbol(char c) => c switch
    {
        >= '{' and <= '~' => true,
        >= '[' and <= '`' => true,
        >= ' ' and <= '&' => true,
        >= '(' and <= '+' => true,
        >= ':' and <= '@' => true,
        '/' => true,
        _ => false,
    };
}
