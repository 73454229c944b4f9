using System.Text;

namespace AdaptLab.Metrics.Text;

/// <summary>The official SQuAD 2.0 script's <c>normalize_answer</c>, <c>compute_exact</c> and <c>compute_f1</c>.</summary>
internal static class SquadNormalization
{
    private const string AsciiPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    /// <summary>lower, remove punctuation, remove articles (regex \b(a|an|the)\b -> ' '), collapse whitespace.</summary>
    public static string Normalize(string text)
    {
        var lower = PythonText.Lower(text);
        var noPunct = new StringBuilder(lower.Length);
        foreach (var c in lower)
        {
            if (!AsciiPunctuation.Contains(c))
            {
                noPunct.Append(c);
            }
        }

        return string.Join(' ', PythonText.SplitWhitespace(RemoveArticles(noPunct.ToString())));
    }

    public static double ExactMatch(string gold, string prediction) => Normalize(gold) == Normalize(prediction) ? 1 : 0;

    public static double F1(string gold, string prediction)
    {
        var goldTokens = PythonText.SplitWhitespace(Normalize(gold));
        var predictionTokens = PythonText.SplitWhitespace(Normalize(prediction));
        if (goldTokens.Count == 0 || predictionTokens.Count == 0)
        {
            // If either is no-answer, F1 is 1 when they agree and 0 otherwise.
            return goldTokens.Count == predictionTokens.Count ? 1 : 0;
        }

        var goldCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in goldTokens)
        {
            goldCounts[t] = goldCounts.GetValueOrDefault(t) + 1;
        }

        var same = 0;
        foreach (var t in predictionTokens)
        {
            if (goldCounts.GetValueOrDefault(t) > 0)
            {
                goldCounts[t]--;
                same++;
            }
        }

        if (same == 0)
        {
            return 0;
        }

        var precision = 1.0 * same / predictionTokens.Count;
        var recall = 1.0 * same / goldTokens.Count;
        return 2 * precision * recall / (precision + recall);
    }

    // \b(a|an|the)\b matches exactly the maximal runs of word characters that are an article.
    private static string RemoveArticles(string text)
    {
        var sb = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && PythonText.IsWordCharAt(text, i, out var width))
            {
                i += width;
            }

            if (i > start)
            {
                var word = text.AsSpan(start, i - start);
                if (word is "a" or "an" or "the")
                {
                    sb.Append(' ');
                }
                else
                {
                    sb.Append(word);
                }
            }
            else
            {
                sb.Append(text[i]);
                i++;
            }
        }

        return sb.ToString();
    }
}
