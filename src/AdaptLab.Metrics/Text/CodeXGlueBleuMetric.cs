using System.Text;

namespace AdaptLab.Metrics.Text;

/// <summary>
/// The smoothed sentence BLEU-4 of CodeXGLUE's code-to-text evaluator (Moses bleu.py as adapted
/// for CodeBERT), on its 0-100 scale. Text is lowercased and split into word runs and single
/// symbols, then tokenized as NIST mteval; orders 2-4 get +1 in numerator and denominator (not
/// unigrams), the brevity penalty uses the shortest reference with +1 on both lengths, and the
/// metric is the mean of the sentence scores, as the evaluator reports it.
/// </summary>
public sealed class CodeXGlueBleuMetric : IMetric
{
    private const int Order = 4;

    // Python's sys.float_info.min, which the evaluator adds inside every log.
    private const double FloatMin = 2.2250738585072014E-308;

    public string Name => "codexglue_bleu";

    public MetricShape Shape => MetricShape.MeanOfItems;

    public bool HigherIsBetter => true;

    public MetricValue Compute(IReadOnlyList<MetricItem> items)
    {
        AdditiveStatistics.RequireReferences(items, Name);
        var regexps = new MtevalRegexps();
        var perItem = new double[items.Count];
        var sum = 0.0;
        for (var i = 0; i < items.Count; i++)
        {
            var references = items[i].References.Select(r => Normalize(SplitPuncts(r), regexps)).ToList();
            var sentence = SentenceBleu(references, Normalize(SplitPuncts(items[i].Prediction), regexps));
            sum += sentence;
            perItem[i] = sentence * 100.0;
        }

        return new MetricValue(items.Count == 0 ? double.NaN : sum * 100.0 / items.Count, perItem);
    }

    /// <summary>The evaluator's <c>splitPuncts(text.strip().lower())</c>: runs of \w, and every other non-space character alone.</summary>
    internal static string SplitPuncts(string text)
    {
        var line = PythonText.Lower(PythonText.Trim(text).ToString());
        var sb = new StringBuilder(line.Length + 8);
        var inWord = false;
        for (var i = 0; i < line.Length;)
        {
            if (PythonText.IsWordCharAt(line, i, out var width))
            {
                if (!inWord && sb.Length > 0)
                {
                    sb.Append(' ');
                }

                inWord = true;
            }
            else if (PythonText.IsSpace(line[i]))
            {
                inWord = false;
                i += width;
                continue;
            }
            else
            {
                if (sb.Length > 0)
                {
                    sb.Append(' ');
                }

                inWord = false;
            }

            sb.Append(line, i, width);
            i += width;
        }

        return sb.ToString();
    }

    // The evaluator's normalize(): mteval-v11a with nonorm=0 and preserve_case=False.
    private static List<string> Normalize(string s, MtevalRegexps regexps)
    {
        s = s.Replace("<skipped>", "", StringComparison.Ordinal)
            .Replace("-\n", "", StringComparison.Ordinal)
            .Replace("\n", " ", StringComparison.Ordinal);

        // xml.sax.saxutils.unescape with {'&quot;': '"'}: &lt; and &gt;, then &quot;, then &amp; last.
        s = s.Replace("&lt;", "<", StringComparison.Ordinal)
            .Replace("&gt;", ">", StringComparison.Ordinal)
            .Replace("&quot;", "\"", StringComparison.Ordinal)
            .Replace("&amp;", "&", StringComparison.Ordinal);
        var padded = PythonText.Lower(" " + s + " ");
        return PythonText.SplitWhitespace(new string(regexps.Apply(padded)));
    }

    private static double SentenceBleu(List<List<string>> references, List<string> test)
    {
        var maxCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        var refLen = int.MaxValue;
        foreach (var reference in references)
        {
            refLen = Math.Min(refLen, reference.Count);
            foreach (var (ngram, count) in CountNgrams(reference))
            {
                maxCounts[ngram] = Math.Max(maxCounts.GetValueOrDefault(ngram), count);
            }
        }

        Span<int> correct = stackalloc int[Order];
        correct.Clear();
        foreach (var (ngram, count) in CountNgrams(test))
        {
            correct[NgramOrder(ngram) - 1] += Math.Min(maxCounts.GetValueOrDefault(ngram), count);
        }

        var logBleu = 0.0;
        for (var k = 0; k < Order; k++)
        {
            var guess = Math.Max(test.Count - k, 0);
            var add = k > 0 ? 1 : 0;
            logBleu += Math.Log(correct[k] + add + FloatMin) - Math.Log(guess + add + FloatMin);
        }

        logBleu /= Order;
        var brevityPenalty = Math.Min(0, 1 - ((double)(refLen + 1) / (test.Count + 1)));
        return Math.Exp(logBleu + brevityPenalty);
    }

    // Tokens never contain spaces, so a space-joined key identifies the n-gram; the separator
    // count gives its order.
    private static Dictionary<string, int> CountNgrams(List<string> words)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var n = 1; n <= Order; n++)
        {
            for (var i = 0; i + n <= words.Count; i++)
            {
                var key = string.Join(' ', words.GetRange(i, n));
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }

        return counts;
    }

    private static int NgramOrder(string ngram) => ngram.AsSpan().Count(' ') + 1;
}
