using System.Buffers;

namespace AdaptLab.Metrics.Text;

/// <summary>
/// The four regular-expression passes of mteval-v13a as sacrebleu's <c>TokenizerRegexp</c> applies
/// them (also used by CodeXGLUE's evaluator and Tercom's normaliser), written as scans. Each
/// pattern matches two fixed characters, one of them from a small set ('.' ',' or '-'), so jumping
/// from one occurrence of that set to the next (vectorised) and skipping past each match
/// reproduces <c>re.sub</c>'s leftmost non-overlapping matches exactly.
/// Callers split the result on whitespace, so only where spaces fall matters, not how many.
/// </summary>
internal sealed class MtevalRegexps
{
    // The class [\{-\~\[-\` -\&\(-\+\:-\@\/] without the space it also contains: a space
    // becomes "   ", which splits the same as " " and is left alone here.
    private static readonly SearchValues<char> SeparatedSymbols = SearchValues.Create("{|}~[\\]^_`!\"#$%&()*+:;<=>?@/");

    private char[] _a = new char[256];
    private char[] _b = new char[256];

    /// <summary>Runs the passes over <paramref name="line"/>; the result is only valid until the next call.</summary>
    public ReadOnlySpan<char> Apply(ReadOnlySpan<char> line)
    {
        // ([\{-\~\[-\` -\&\(-\+\:-\@\/]) -> ' \1 '
        var output = Ensure(ref _a, 3 * line.Length);
        var n = 0;
        var from = 0;
        int at;
        while ((at = IndexOf(line, from, SeparatedSymbols)) >= 0)
        {
            n = Copy(line[from..at], output, n);
            output[n++] = ' ';
            output[n++] = line[at];
            output[n++] = ' ';
            from = at + 1;
        }

        n = Copy(line[from..], output, n);
        return ApplyNumberRules(output.AsSpan(0, n));
    }

    /// <summary>The three passes after the first, which tokenize periods, commas and dashes around digits.</summary>
    public ReadOnlySpan<char> ApplyNumberRules(ReadOnlySpan<char> s)
    {
        s = PeriodCommaAfterNonDigit(s, Ensure(ref _b, 2 * s.Length));
        s = PeriodCommaBeforeNonDigit(s, Ensure(ref _a, 2 * s.Length));
        return DashAfterDigit(s, Ensure(ref _b, 2 * s.Length));
    }

    /// <summary>The first pass's character class (with the space).</summary>
    public static bool IsSeparatedSymbol(char c) => c == ' ' || SeparatedSymbols.Contains(c);

    // ([^0-9])([\.,]) -> '\1 \2 '
    private static ReadOnlySpan<char> PeriodCommaAfterNonDigit(ReadOnlySpan<char> s, char[] output)
    {
        int n = 0, from = 0, at;
        var search = 0;
        while ((at = s[search..].IndexOfAny('.', ',')) >= 0)
        {
            var p = search + at;
            search = p + 1;
            if (p - 1 >= from && !char.IsAsciiDigit(s[p - 1]))
            {
                n = Copy(s[from..p], output, n);
                output[n++] = ' ';
                output[n++] = s[p];
                output[n++] = ' ';
                from = p + 1;
            }
        }

        return output.AsSpan(0, Copy(s[from..], output, n));
    }

    // ([\.,])([^0-9]) -> ' \1 \2'
    private static ReadOnlySpan<char> PeriodCommaBeforeNonDigit(ReadOnlySpan<char> s, char[] output)
    {
        int n = 0, from = 0, at;
        var search = 0;
        while ((at = s[search..].IndexOfAny('.', ',')) >= 0)
        {
            var p = search + at;
            search = p + 1;
            if (p >= from && p + 1 < s.Length && !char.IsAsciiDigit(s[p + 1]))
            {
                n = Copy(s[from..p], output, n);
                output[n++] = ' ';
                output[n++] = s[p];
                output[n++] = ' ';
                output[n++] = s[p + 1];
                from = p + 2;
                search = from;
            }
        }

        return output.AsSpan(0, Copy(s[from..], output, n));
    }

    // ([0-9])(-) -> '\1 \2 '
    private static ReadOnlySpan<char> DashAfterDigit(ReadOnlySpan<char> s, char[] output)
    {
        int n = 0, from = 0, at;
        var search = 0;
        while ((at = s[search..].IndexOf('-')) >= 0)
        {
            var p = search + at;
            search = p + 1;
            if (p - 1 >= from && char.IsAsciiDigit(s[p - 1]))
            {
                n = Copy(s[from..p], output, n);
                output[n++] = ' ';
                output[n++] = '-';
                output[n++] = ' ';
                from = p + 1;
            }
        }

        return output.AsSpan(0, Copy(s[from..], output, n));
    }

    private static int IndexOf(ReadOnlySpan<char> s, int from, SearchValues<char> values)
    {
        var at = s[from..].IndexOfAny(values);
        return at < 0 ? -1 : from + at;
    }

    private static int Copy(ReadOnlySpan<char> chunk, char[] output, int n)
    {
        chunk.CopyTo(output.AsSpan(n));
        return n + chunk.Length;
    }

    // Each pass reads one buffer and writes the other, so a buffer is only replaced before it is written.
    private static char[] Ensure(ref char[] buffer, int size)
    {
        if (buffer.Length < size)
        {
            buffer = new char[Math.Max(size, buffer.Length * 2)];
        }

        return buffer;
    }
}
