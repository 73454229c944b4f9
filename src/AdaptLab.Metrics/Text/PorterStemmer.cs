namespace AdaptLab.Metrics.Text;

/// <summary>
/// NLTK's <c>PorterStemmer()</c> in its default NLTK_EXTENSIONS mode, the stemmer rouge-score
/// uses. Written for lowercase ASCII words, which is all rouge-score's tokenizer produces.
/// Each rule list is applied as NLTK's <c>_apply_rule_list</c>: the first rule whose suffix
/// matches decides, even when its condition then fails.
/// </summary>
internal static class PorterStemmer
{
    private static readonly Dictionary<string, string> IrregularForms = new(StringComparer.Ordinal)
    {
        ["sky"] = "sky",
        ["skies"] = "sky",
        ["dying"] = "die",
        ["lying"] = "lie",
        ["tying"] = "tie",
        ["news"] = "news",
        ["innings"] = "inning",
        ["inning"] = "inning",
        ["outings"] = "outing",
        ["outing"] = "outing",
        ["cannings"] = "canning",
        ["canning"] = "canning",
        ["howe"] = "howe",
        ["proceed"] = "proceed",
        ["exceed"] = "exceed",
        ["succeed"] = "succeed",
    };

    private static readonly Rule[] Step2Rules =
    [
        new("ational", "ate"), new("tional", "tion"), new("enci", "ence"), new("anci", "ance"),
        new("izer", "ize"), new("bli", "ble"), new("alli", "al"), new("entli", "ent"), new("eli", "e"),
        new("ousli", "ous"), new("ization", "ize"), new("ation", "ate"), new("ator", "ate"),
        new("alism", "al"), new("iveness", "ive"), new("fulness", "ful"), new("ousness", "ous"),
        new("aliti", "al"), new("iviti", "ive"), new("biliti", "ble"), new("fulli", "ful"),
    ];

    private static readonly Rule[] Step3Rules =
    [
        new("icate", "ic"), new("ative", ""), new("alize", "al"), new("iciti", "ic"),
        new("ical", "ic"), new("ful", ""), new("ness", ""),
    ];

    private static readonly string[] Step4Suffixes =
    [
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent",
        "ion", "ou", "ism", "ate", "iti", "ous", "ive", "ize",
    ];

    public static string Stem(string word)
    {
        if (IrregularForms.TryGetValue(word, out var irregular))
        {
            return irregular;
        }

        if (word.Length <= 2)
        {
            return word;
        }

        var stem = Step1a(word);
        stem = Step1b(stem);
        stem = Step1c(stem);
        stem = Step2(stem);
        stem = Step3(stem);
        stem = Step4(stem);
        stem = Step5a(stem);
        return Step5b(stem);
    }

    private static string Step1a(string word)
    {
        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length == 4)
        {
            return word[..^3] + "ie";
        }

        if (word.EndsWith("sses", StringComparison.Ordinal))
        {
            return word[..^4] + "ss";
        }

        if (word.EndsWith("ies", StringComparison.Ordinal))
        {
            return word[..^3] + "i";
        }

        if (word.EndsWith("ss", StringComparison.Ordinal))
        {
            return word;
        }

        return word.EndsWith('s') ? word[..^1] : word;
    }

    private static string Step1b(string word)
    {
        if (word.EndsWith("ied", StringComparison.Ordinal))
        {
            return word[..^3] + (word.Length == 4 ? "ie" : "i");
        }

        if (word.EndsWith("eed", StringComparison.Ordinal))
        {
            var eedStem = word[..^3];
            return Measure(eedStem) > 0 ? eedStem + "ee" : word;
        }

        string stem;
        if (word.EndsWith("ed", StringComparison.Ordinal) && ContainsVowel(word[..^2]))
        {
            stem = word[..^2];
        }
        else if (word.EndsWith("ing", StringComparison.Ordinal) && ContainsVowel(word[..^3]))
        {
            stem = word[..^3];
        }
        else
        {
            return word;
        }

        if (stem.EndsWith("at", StringComparison.Ordinal) || stem.EndsWith("bl", StringComparison.Ordinal) || stem.EndsWith("iz", StringComparison.Ordinal))
        {
            return stem + "e";
        }

        if (EndsDoubleConsonant(stem))
        {
            return stem[^1] is 'l' or 's' or 'z' ? stem : stem[..^1];
        }

        return Measure(stem) == 1 && EndsCvc(stem) ? stem + "e" : stem;
    }

    private static string Step1c(string word) =>
        word.EndsWith('y') && word.Length - 1 > 1 && IsConsonant(word, word.Length - 2)
            ? word[..^1] + "i"
            : word;

    private static string Step2(string word)
    {
        if (word.EndsWith("alli", StringComparison.Ordinal) && Measure(word[..^4]) > 0)
        {
            return Step2(word[..^4] + "al");
        }

        foreach (var rule in Step2Rules)
        {
            if (word.EndsWith(rule.Suffix, StringComparison.Ordinal))
            {
                var stem = word[..^rule.Suffix.Length];
                return Measure(stem) > 0 ? stem + rule.Replacement : word;
            }
        }

        // NLTK's own rule: its condition looks at the word minus "ogi", not at the stem.
        if (word.EndsWith("logi", StringComparison.Ordinal))
        {
            return Measure(word[..^3]) > 0 ? word[..^4] + "log" : word;
        }

        return word;
    }

    private static string Step3(string word)
    {
        foreach (var rule in Step3Rules)
        {
            if (word.EndsWith(rule.Suffix, StringComparison.Ordinal))
            {
                var stem = word[..^rule.Suffix.Length];
                return Measure(stem) > 0 ? stem + rule.Replacement : word;
            }
        }

        return word;
    }

    private static string Step4(string word)
    {
        foreach (var suffix in Step4Suffixes)
        {
            if (word.EndsWith(suffix, StringComparison.Ordinal))
            {
                var stem = word[..^suffix.Length];
                var applies = Measure(stem) > 1 && (suffix != "ion" || stem[^1] is 's' or 't');
                return applies ? stem : word;
            }
        }

        return word;
    }

    private static string Step5a(string word)
    {
        if (!word.EndsWith('e'))
        {
            return word;
        }

        var stem = word[..^1];
        var m = Measure(stem);
        return m > 1 || (m == 1 && !EndsCvc(stem)) ? stem : word;
    }

    private static string Step5b(string word) =>
        word.EndsWith("ll", StringComparison.Ordinal) && Measure(word[..^1]) > 1 ? word[..^1] : word;

    private static bool IsConsonant(string word, int i)
    {
        var c = word[i];
        if (c is 'a' or 'e' or 'i' or 'o' or 'u')
        {
            return false;
        }

        // 'y' is a consonant at the start or after a vowel.
        return c != 'y' || i == 0 || !IsConsonant(word, i - 1);
    }

    /// <summary>m in [C](VC)^m[V]: the number of vowel-to-consonant transitions.</summary>
    private static int Measure(string stem)
    {
        var m = 0;
        for (var i = 1; i < stem.Length; i++)
        {
            if (!IsConsonant(stem, i - 1) && IsConsonant(stem, i))
            {
                m++;
            }
        }

        return m;
    }

    private static bool ContainsVowel(string stem)
    {
        for (var i = 0; i < stem.Length; i++)
        {
            if (!IsConsonant(stem, i))
            {
                return true;
            }
        }

        return false;
    }

    private static bool EndsDoubleConsonant(string word) =>
        word.Length >= 2 && word[^1] == word[^2] && IsConsonant(word, word.Length - 1);

    private static bool EndsCvc(string word) =>
        (word.Length >= 3
            && IsConsonant(word, word.Length - 3)
            && !IsConsonant(word, word.Length - 2)
            && IsConsonant(word, word.Length - 1)
            && word[^1] is not ('w' or 'x' or 'y'))
        || (word.Length == 2 && !IsConsonant(word, 0) && IsConsonant(word, 1));

    private readonly record struct Rule(string Suffix, string Replacement);
}
