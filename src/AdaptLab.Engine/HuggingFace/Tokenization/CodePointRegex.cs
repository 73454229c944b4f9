using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AdaptLab.Engine.HuggingFace.Tokenization;

/// <summary>
/// A pre-tokenizer pattern matched over code points, as the Rust regex engines behind Hugging Face tokenizers
/// match it. .NET regexes see UTF-16 units, so a character outside the BMP (emoji, some CJK) would be two
/// surrogates that neither \p{L} nor an optional single-character class handle as one character. Each such
/// character is matched as a BMP stand-in of its Unicode category, and match positions are mapped back.
/// </summary>
internal sealed class CodePointRegex(string pattern)
{
    private static readonly char[] StandIns = BuildStandIns();

    private readonly Regex regex = new(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled);

    /// <summary>(start, length) in <paramref name="text"/>'s UTF-16 units of each match, in order.</summary>
    public IEnumerable<(int Start, int Length)> Matches(string text)
    {
        if (!text.Any(char.IsSurrogate))
        {
            return regex.Matches(text).Select(m => (m.Index, m.Length));
        }

        // offsets[i] is where the stand-in string's position i starts in the original text.
        var standIn = new StringBuilder(text.Length);
        var offsets = new List<int>(text.Length + 1);
        for (var i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
        {
            offsets.Add(i);
            standIn.Append(char.IsSurrogatePair(text, i) ? StandIns[(int)CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(text, i))] : text[i]);
        }

        offsets.Add(text.Length);
        return regex.Matches(standIn.ToString()).Select(m => (offsets[m.Index], offsets[m.Index + m.Length] - offsets[m.Index]));
    }

    /// <summary>The first BMP character of each Unicode category (no category of supplementary characters lacks one).</summary>
    private static char[] BuildStandIns()
    {
        var standIns = new char[Enum.GetValues<UnicodeCategory>().Length];
        for (var c = 0xFFFF; c >= 0; c--)
        {
            if (c is < 0xD800 or > 0xDFFF)
            {
                standIns[(int)CharUnicodeInfo.GetUnicodeCategory((char)c)] = (char)c;
            }
        }

        return standIns;
    }
}
