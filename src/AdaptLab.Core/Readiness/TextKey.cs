using System.Globalization;
using System.Text;

namespace AdaptLab.Core.Readiness;

/// <summary>How readiness compares texts: case, accents' composition and runs of whitespace do not count.</summary>
internal static class TextKey
{
    public static string Of(string text) =>
        string.Join(' ', text.Normalize(NormalizationForm.FormKC).ToLower(CultureInfo.InvariantCulture).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Lower-cased words (letters and digits), the unit of n-gram overlap and of near-duplicate shingles.</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text + " ")
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }

        return words;
    }
}
