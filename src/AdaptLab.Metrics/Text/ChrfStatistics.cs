using System.Buffers;

namespace AdaptLab.Metrics.Text;

/// <summary>
/// Per-sentence chrF statistics in sacrebleu's layout: a [hyp, ref, match] triple for each
/// character order, then each word order. With several references the triples of the reference
/// with the best sentence F score are kept, as sacrebleu does. Characters are code points, as in
/// Python's string slicing. One instance per thread: it reuses its tables between sentences.
/// </summary>
internal sealed class ChrfStatistics(ChrfOptions options) : IItemStatistics
{
    private static readonly SearchValues<char> Punctuation = SearchValues.Create("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~");

    private readonly NgramTable _ngrams = new();
    private readonly TokenInterner _words = new();
    private readonly List<int> _hypChars = [];
    private readonly List<int> _refChars = [];
    private readonly List<TokenSpan> _spans = [];
    private readonly List<int> _hypWords = [];
    private readonly List<int> _refWords = [];
    private int[] _refCount = new int[256];
    private int[] _hypCount = new int[256];

    public int Width => 3 * options.Order;

    public void Extract(string hypothesis, IReadOnlyList<string> references, Span<double> row)
    {
        var hyp = options.Lowercase ? PythonText.Lower(hypothesis) : hypothesis;
        CodePoints(hyp, _hypChars);
        var width = Width;
        Span<double> candidate = width <= 64 ? stackalloc double[width] : new double[width];
        var bestF = -1.0;
        foreach (var reference in references)
        {
            var refText = options.Lowercase ? PythonText.Lower(reference) : reference;
            CodePoints(refText, _refChars);
            candidate.Clear();
            _ngrams.Reset();
            CountOrders(_hypChars, _refChars, options.CharOrder, candidate);
            if (options.WordOrder > 0)
            {
                _words.Reset();
                Words(refText, _refWords, add: true);
                Words(hyp, _hypWords, add: false);
                _ngrams.Reset();
                CountOrders(_hypWords, _refWords, options.WordOrder, candidate[(3 * options.CharOrder)..]);
            }

            var f = ChrfScore.Compute(candidate, options.Beta, options.EpsSmoothing);
            if (f > bestF)
            {
                bestF = f;
                candidate.CopyTo(row);
            }
        }
    }

    // Fills [hyp, ref, match] for orders 1..maxOrder. Units are code points or word ids (-1 for a
    // hypothesis word that no reference word equals).
    private void CountOrders(List<int> hyp, List<int> reference, int maxOrder, Span<double> stats)
    {
        for (var i = 0; i < reference.Count; i++)
        {
            var prefix = NgramTable.Root;
            var last = Math.Min(reference.Count, i + maxOrder);
            for (var j = i; j < last; j++)
            {
                var before = _ngrams.Count;
                var id = _ngrams.GetOrAdd(prefix, reference[j]);
                if (id == before)
                {
                    EnsureCapacity(id);
                    _refCount[id] = 0;
                    _hypCount[id] = 0;
                }

                _refCount[id]++;
                prefix = id;
            }
        }

        for (var i = 0; i < hyp.Count; i++)
        {
            var prefix = NgramTable.Root;
            var last = Math.Min(hyp.Count, i + maxOrder);
            for (var j = i; j < last && hyp[j] >= 0; j++)
            {
                var id = _ngrams.Find(prefix, hyp[j]);
                if (id < 0)
                {
                    break;
                }

                if (++_hypCount[id] <= _refCount[id])
                {
                    stats[(3 * (j - i)) + 2] += 1;
                }

                prefix = id;
            }
        }

        for (var n = 1; n <= maxOrder; n++)
        {
            var refTotal = Math.Max(reference.Count - n + 1, 0);

            // sacrebleu counts no hypothesis n-grams for an order the reference lacks.
            stats[3 * (n - 1)] = refTotal > 0 ? Math.Max(hyp.Count - n + 1, 0) : 0;
            stats[(3 * (n - 1)) + 1] = refTotal;
        }
    }

    private void CodePoints(string text, List<int> units)
    {
        units.Clear();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!options.Whitespace && PythonText.IsSpace(c))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                units.Add(char.ConvertToUtf32(c, text[i + 1]));
                i++;
            }
            else
            {
                units.Add(c);
            }
        }
    }

    // sacrebleu's _remove_punctuation: split on whitespace, then split one ASCII punctuation mark
    // off the end of a word, or else off its start.
    private void Words(string text, List<int> ids, bool add)
    {
        _spans.Clear();
        PythonText.SplitWhitespace(text, _spans);
        ids.Clear();
        foreach (var span in _spans)
        {
            var w = text.AsSpan(span.Start, span.Length);
            if (w.Length == 1)
            {
                AddWord(w, ids, add);
            }
            else if (Punctuation.Contains(w[^1]))
            {
                AddWord(w[..^1], ids, add);
                AddWord(w[^1..], ids, add);
            }
            else if (Punctuation.Contains(w[0]))
            {
                AddWord(w[..1], ids, add);
                AddWord(w[1..], ids, add);
            }
            else
            {
                AddWord(w, ids, add);
            }
        }
    }

    private void AddWord(ReadOnlySpan<char> word, List<int> ids, bool add) =>
        ids.Add(add ? _words.GetOrAdd(word) : _words.Find(word));

    private void EnsureCapacity(int id)
    {
        if (id >= _refCount.Length)
        {
            Array.Resize(ref _refCount, _refCount.Length * 2);
            Array.Resize(ref _hypCount, _hypCount.Length * 2);
        }
    }
}
