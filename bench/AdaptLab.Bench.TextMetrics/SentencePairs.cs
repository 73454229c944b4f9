using System.Text.Json;
using System.Text.RegularExpressions;
using AdaptLab.Metrics;

namespace AdaptLab.Bench.TextMetrics;

/// <summary>
/// Hypothesis/reference pairs from real text: sentences of the SQuAD dev contexts as references,
/// and a seeded perturbation of each (dropped, swapped, replaced and repeated words) as the
/// hypothesis, so the n-gram statistics look like a system's output, not like identity.
/// </summary>
internal static partial class SentencePairs
{
    public static List<MetricItem> Build(string squadPath, int count, int seed)
    {
        var sentences = Sentences(squadPath);
        var vocabulary = sentences.SelectMany(s => s.Split(' ')).Distinct().ToArray();
        var random = new Random(seed);
        var pairs = new List<MetricItem>(count);
        for (var i = 0; i < count; i++)
        {
            var reference = sentences[random.Next(sentences.Count)];
            pairs.Add(MetricItem.Single(Perturb(reference, vocabulary, random), reference));
        }

        return pairs;
    }

    private static List<string> Sentences(string squadPath)
    {
        using var squad = JsonDocument.Parse(File.ReadAllText(squadPath));
        var sentences = new List<string>();
        foreach (var article in squad.RootElement.GetProperty("data").EnumerateArray())
        {
            foreach (var paragraph in article.GetProperty("paragraphs").EnumerateArray())
            {
                foreach (var sentence in SentenceEnd().Split(paragraph.GetProperty("context").GetString()!))
                {
                    // One line per sentence in the pairs file: no tabs or newlines inside.
                    var clean = string.Join(' ', sentence.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
                    if (clean.Count(c => c == ' ') >= 4)
                    {
                        sentences.Add(clean);
                    }
                }
            }
        }

        return sentences;
    }

    private static string Perturb(string sentence, string[] vocabulary, Random random)
    {
        var words = sentence.Split(' ').ToList();
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits && words.Count > 1; e++)
        {
            var at = random.Next(words.Count);
            switch (random.Next(4))
            {
                case 0:
                    words.RemoveAt(at);
                    break;
                case 1:
                    var next = Math.Min(at + 1, words.Count - 1);
                    (words[at], words[next]) = (words[next], words[at]);
                    break;
                case 2:
                    words[at] = vocabulary[random.Next(vocabulary.Length)];
                    break;
                default:
                    words.Insert(at, words[at]);
                    break;
            }
        }

        return string.Join(' ', words);
    }

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentenceEnd();
}
