using System.Text.RegularExpressions;

namespace AdaptLab.Metrics.Text;

/// <summary>sacrebleu's <c>TercomTokenizer</c>: the text TER compares, before splitting on whitespace.</summary>
internal sealed partial class TercomTokenizer(TerOptions options)
{
    private readonly MtevalRegexps _regexps = new();

    public string Apply(string sentence)
    {
        if (sentence.Length == 0)
        {
            return "";
        }

        var s = options.CaseSensitive ? sentence : PythonText.Lower(sentence);
        if (options.Normalized)
        {
            s = NormalizeGeneralAndWestern(s);
            if (options.AsianSupport)
            {
                s = NormalizeAsian(s);
            }
        }

        if (options.NoPunct)
        {
            s = Punctuation().Replace(s, "");
            if (options.AsianSupport)
            {
                s = AsianPunctuation().Replace(s, "");
                s = FullWidthPunctuation().Replace(s, "");
            }
        }

        // Tercom then collapses whitespace and trims; the caller splits on whitespace, which is the same.
        return s;
    }

    private string NormalizeGeneralAndWestern(string s)
    {
        s = s.Replace("\n-", "", StringComparison.Ordinal)
            .Replace("\n", " ", StringComparison.Ordinal)
            .Replace("&quot;", "\"", StringComparison.Ordinal)
            .Replace("&amp;", "&", StringComparison.Ordinal)
            .Replace("&lt;", "<", StringComparison.Ordinal)
            .Replace("&gt;", ">", StringComparison.Ordinal);

        // Tercom's passes are mteval's with the possessive rule "'s " -> " 's " after the first one.
        // Its other possessive rule, "'s$", cannot match: the padding leaves a space at the end.
        var padded = " " + s + " ";
        var symbols = new CharBuffer();
        foreach (var c in padded)
        {
            if (MtevalRegexps.IsSeparatedSymbol(c))
            {
                symbols.Append(' ');
                symbols.Append(c);
                symbols.Append(' ');
            }
            else
            {
                symbols.Append(c);
            }
        }

        var possessive = symbols.ToString().Replace("'s ", " 's ", StringComparison.Ordinal);
        return new string(_regexps.ApplyNumberRules(possessive));
    }

    private static string NormalizeAsian(string s)
    {
        s = CjkIdeographs().Replace(s, " $1 ");
        s = CjkStrokesAndRadicals().Replace(s, " $1 ");
        s = CjkCompatibility().Replace(s, " $1 ");
        s = CjkEnclosed().Replace(s, " $1 ");
        s = Hiragana().Replace(s, "$1 $2 ");
        s = Katakana().Replace(s, "$1 $2 ");
        s = KatakanaExtensions().Replace(s, "$1 $2 ");
        s = AsianPunctuation().Replace(s, " $1 ");
        return FullWidthPunctuation().Replace(s, " $1 ");
    }

    [GeneratedRegex("[\\.,\\?:;!\\\"\\(\\)]")]
    private static partial Regex Punctuation();

    [GeneratedRegex("([\\u3001\\u3002\\u3008-\\u3011\\u3014-\\u301f\\uff61-\\uff65\\u30fb])")]
    private static partial Regex AsianPunctuation();

    [GeneratedRegex("([\\uff0e\\uff0c\\uff1f\\uff1a\\uff1b\\uff01\\uff02\\uff08\\uff09])")]
    private static partial Regex FullWidthPunctuation();

    [GeneratedRegex("([\\u4e00-\\u9fff\\u3400-\\u4dbf])")]
    private static partial Regex CjkIdeographs();

    [GeneratedRegex("([\\u31c0-\\u31ef\\u2e80-\\u2eff])")]
    private static partial Regex CjkStrokesAndRadicals();

    [GeneratedRegex("([\\u3300-\\u33ff\\uf900-\\ufaff\\ufe30-\\ufe4f])")]
    private static partial Regex CjkCompatibility();

    [GeneratedRegex("([\\u3200-\\u3f22])")]
    private static partial Regex CjkEnclosed();

    [GeneratedRegex("(^|^[\\u3040-\\u309f])([\\u3040-\\u309f]+)(?=$|^[\\u3040-\\u309f])")]
    private static partial Regex Hiragana();

    [GeneratedRegex("(^|^[\\u30a0-\\u30ff])([\\u30a0-\\u30ff]+)(?=$|^[\\u30a0-\\u30ff])")]
    private static partial Regex Katakana();

    [GeneratedRegex("(^|^[\\u31f0-\\u31ff])([\\u31f0-\\u31ff]+)(?=$|^[\\u31f0-\\u31ff])")]
    private static partial Regex KatakanaExtensions();
}
