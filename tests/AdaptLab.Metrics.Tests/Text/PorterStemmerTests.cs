using System.Text.RegularExpressions;
using System.Text.Json;
using AdaptLab.Metrics.Text;
using AdaptLab.Tests.Support;

namespace AdaptLab.Metrics.Tests.Text;

/// <summary>The Porter stemmer against NLTK's own (Debian python3-nltk), which rouge-score uses.</summary>
public partial class PorterStemmerTests
{
    private const string NltkStems = """
        import json, sys
        from nltk.stem.porter import PorterStemmer
        stemmer = PorterStemmer()
        print(json.dumps([stemmer.stem(w) for w in json.load(sys.stdin)]))
        """;

    [Fact]
    public void Stems_every_word_of_squad_contexts_as_nltk_does()
    {
        // Every distinct rouge token of the SQuAD dev contexts, plus words aimed at each special rule.
        var words = new SortedSet<string>(StringComparer.Ordinal)
        {
            "skies", "dying", "lying", "tying", "news", "innings", "outings", "cannings", "howe",
            "proceed", "exceed", "succeed", "ties", "cries", "died", "spied", "agreed", "feed",
            "hopping", "falling", "filing", "conflated", "troubled", "sized", "happy", "enjoy",
            "generously", "hopefulli", "analogi", "controll", "roll", "adoption", "probate", "rate", "cease",
        };
        using var squad = JsonDocument.Parse(File.ReadAllText(SharedData.Path("datasets", "squad", "dev-v2.0.json")));
        foreach (var article in squad.RootElement.GetProperty("data").EnumerateArray())
        {
            foreach (var paragraph in article.GetProperty("paragraphs").EnumerateArray())
            {
                foreach (Match m in RougeToken().Matches(paragraph.GetProperty("context").GetString()!.ToLowerInvariant()))
                {
                    words.Add(m.Value);
                }
            }
        }

        var input = words.ToList();
        var expected = PythonReference.Run(NltkStems, input).EnumerateArray().Select(e => e.GetString()).ToList();

        var mismatches = input.Where((w, i) => PorterStemmer.Stem(w) != expected[i])
            .Select(w => $"{w}: {PorterStemmer.Stem(w)} vs {expected[input.IndexOf(w)]}").Take(20).ToList();
        Assert.True(input.Count > 5000, "the vocabulary should be large");
        Assert.Empty(mismatches);
    }

    [GeneratedRegex("[a-z0-9]+")]
    private static partial Regex RougeToken();
}
