namespace AdaptLab.Metrics.Text;

/// <summary>
/// rouge-score's tokenizer: lowercase, replace every run of characters outside [a-z0-9] by a
/// space, split, and (with the stemmer) stem tokens longer than 3 characters. Non-ASCII letters
/// are therefore dropped, exactly as there.
/// </summary>
internal sealed class RougeTokenizer(bool useStemmer)
{
    private readonly Dictionary<string, string> _stems = new(StringComparer.Ordinal);

    /// <summary>Appends the tokens of <paramref name="text"/> as ids of <paramref name="interner"/>.</summary>
    public void Tokenize(string text, TokenInterner interner, List<int> ids)
    {
        var lower = PythonText.Lower(text);
        var i = 0;
        while (i < lower.Length)
        {
            while (i < lower.Length && !IsTokenChar(lower[i]))
            {
                i++;
            }

            var start = i;
            while (i < lower.Length && IsTokenChar(lower[i]))
            {
                i++;
            }

            if (i == start)
            {
                continue;
            }

            var token = lower.AsSpan(start, i - start);
            if (useStemmer && token.Length > 3)
            {
                var stem = Stem(token.ToString());
                if (stem.Length > 0)
                {
                    ids.Add(interner.GetOrAdd(stem));
                }
            }
            else
            {
                ids.Add(interner.GetOrAdd(token));
            }
        }
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);

    // Stemming dominates tokenizing time and texts repeat words, so stems are memoised per tokenizer.
    private string Stem(string token)
    {
        if (!_stems.TryGetValue(token, out var stem))
        {
            stem = PorterStemmer.Stem(token);
            _stems[token] = stem;
        }

        return stem;
    }
}
