namespace AdaptLab.Metrics.Text;

/// <summary>
/// Per-sentence BLEU sufficient statistics in sacrebleu's layout:
/// [hyp_len, ref_len, correct_1..N, total_1..N]. Reference n-gram counts are the maximum over the
/// references; the reference length is the one closest to the hypothesis length (shorter on ties).
/// One instance per thread: it reuses its tables between sentences.
/// </summary>
internal sealed class BleuStatistics(BleuOptions options) : IItemStatistics
{
    private readonly BleuTokenizerRunner _tokenizer = new(options.Tokenize);
    private readonly TokenInterner _tokens = new();
    private readonly NgramTable _ngrams = new();
    private readonly List<TokenSpan> _spans = [];
    private readonly List<int> _ids = [];
    private int[] _refMax = new int[256];
    private int[] _refCurrent = new int[256];
    private int[] _lastRef = new int[256];
    private int[] _hypCount = new int[256];

    public int Width => 2 + (2 * options.MaxNgramOrder);

    public void Extract(string hypothesis, IReadOnlyList<string> references, Span<double> row)
    {
        var order = options.MaxNgramOrder;
        _tokens.Reset();
        _ngrams.Reset();
        var closestRefLen = -1;
        var closestDiff = -1;

        // Reference lengths are compared to the hypothesis length, known only after tokenizing it;
        // keep them on the stack (a handful of references per item).
        Span<int> refLens = references.Count <= 64 ? stackalloc int[references.Count] : new int[references.Count];
        for (var k = 0; k < references.Count; k++)
        {
            refLens[k] = CountReference(references[k], k, order);
        }

        var hypLen = CountHypothesis(hypothesis, order, row.Slice(2, order));
        foreach (var refLen in refLens)
        {
            var diff = Math.Abs(hypLen - refLen);
            if (closestDiff == -1 || diff < closestDiff)
            {
                closestDiff = diff;
                closestRefLen = refLen;
            }
            else if (diff == closestDiff && refLen < closestRefLen)
            {
                closestRefLen = refLen;
            }
        }

        row[0] = hypLen;
        row[1] = closestRefLen;
        for (var n = 1; n <= order; n++)
        {
            row[1 + order + n] = Math.Max(hypLen - n + 1, 0);
        }
    }

    private int CountReference(string reference, int refIndex, int order)
    {
        TokenizeToIds(reference, add: true);
        var ids = _ids;
        for (var i = 0; i < ids.Count; i++)
        {
            var prefix = NgramTable.Root;
            var last = Math.Min(ids.Count, i + order);
            for (var j = i; j < last; j++)
            {
                var before = _ngrams.Count;
                var id = _ngrams.GetOrAdd(prefix, ids[j]);
                if (id == before)
                {
                    EnsureCapacity(id);
                    _refMax[id] = 0;
                    _lastRef[id] = -1;
                    _hypCount[id] = 0;
                }

                if (_lastRef[id] != refIndex)
                {
                    _lastRef[id] = refIndex;
                    _refCurrent[id] = 0;
                }

                if (++_refCurrent[id] > _refMax[id])
                {
                    _refMax[id] = _refCurrent[id];
                }

                prefix = id;
            }
        }

        return ids.Count;
    }

    private int CountHypothesis(string hypothesis, int order, Span<double> correct)
    {
        correct.Clear();
        TokenizeToIds(hypothesis, add: false);
        var ids = _ids;
        for (var i = 0; i < ids.Count; i++)
        {
            var prefix = NgramTable.Root;
            var last = Math.Min(ids.Count, i + order);
            for (var j = i; j < last; j++)
            {
                // A token or prefix absent from every reference cannot start a matching n-gram.
                if (ids[j] < 0)
                {
                    break;
                }

                var id = _ngrams.Find(prefix, ids[j]);
                if (id < 0)
                {
                    break;
                }

                if (++_hypCount[id] <= _refMax[id])
                {
                    correct[j - i] += 1;
                }

                prefix = id;
            }
        }

        return ids.Count;
    }

    private void TokenizeToIds(string sentence, bool add)
    {
        var text = options.Lowercase ? PythonText.Lower(sentence) : sentence;
        var tokenized = _tokenizer.Tokenize(PythonText.TrimEnd(text));
        _spans.Clear();
        PythonText.SplitWhitespace(tokenized, _spans);
        _ids.Clear();
        foreach (var span in _spans)
        {
            var token = tokenized.Slice(span.Start, span.Length);
            _ids.Add(add ? _tokens.GetOrAdd(token) : _tokens.Find(token));
        }
    }

    private void EnsureCapacity(int id)
    {
        if (id < _refMax.Length)
        {
            return;
        }

        var size = _refMax.Length * 2;
        Array.Resize(ref _refMax, size);
        Array.Resize(ref _refCurrent, size);
        Array.Resize(ref _lastRef, size);
        Array.Resize(ref _hypCount, size);
    }
}
