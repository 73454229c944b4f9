using System.Runtime.InteropServices;

namespace AdaptLab.Metrics.Text;

/// <summary>
/// Google's rouge-score <c>RougeScorer([type], use_stemmer).score(target, prediction)</c> for one
/// type: rouge1..rouge9 (clipped n-gram overlap), rougeL (LCS over the whole text) or rougeLsum
/// (summary-level union LCS over newline-separated sentences). One instance per thread.
/// </summary>
internal sealed class RougeScorer
{
    private readonly int _n;
    private readonly bool _summaryLevel;
    private readonly RougeTokenizer _tokenizer;
    private readonly TokenInterner _interner = new();
    private readonly NgramTable _ngrams = new();
    private readonly List<int> _target = [];
    private readonly List<int> _prediction = [];
    private int[] _targetCount = new int[256];
    private int[] _predictionCount = new int[256];

    public RougeScorer(string rougeType, bool useStemmer)
    {
        _tokenizer = new RougeTokenizer(useStemmer);
        _n = NgramOrder(rougeType);
        _summaryLevel = rougeType == "rougeLsum";
    }

    /// <summary>n for rouge1..rouge9, 0 for rougeL and rougeLsum.</summary>
    /// <exception cref="ArgumentException">Any other name.</exception>
    public static int NgramOrder(string rougeType) => rougeType switch
    {
        "rougeL" or "rougeLsum" => 0,
        ['r', 'o', 'u', 'g', 'e', >= '1' and <= '9'] => rougeType[5] - '0',
        _ => throw new ArgumentException($"rouge type must be rouge1..rouge9, rougeL or rougeLsum; got '{rougeType}'"),
    };

    public RougeScore Score(string target, string prediction)
    {
        _interner.Reset();
        if (_summaryLevel)
        {
            return SummaryLevelLcs(Sentences(target), Sentences(prediction));
        }

        _target.Clear();
        _prediction.Clear();
        _tokenizer.Tokenize(target, _interner, _target);
        _tokenizer.Tokenize(prediction, _interner, _prediction);
        if (_n > 0)
        {
            return NgramOverlap();
        }

        if (_target.Count == 0 || _prediction.Count == 0)
        {
            return default;
        }

        var lcs = Lcs.Length(CollectionsMarshal.AsSpan(_target), CollectionsMarshal.AsSpan(_prediction));
        return RougeScore.From((double)lcs / _prediction.Count, (double)lcs / _target.Count);
    }

    /// <summary>rouge-score's <c>_summary_level_lcs</c> (ROUGE-1.5.5's union LCS with per-token count clipping).</summary>
    internal static RougeScore SummaryLevelLcs(IReadOnlyList<IReadOnlyList<int>> references, IReadOnlyList<IReadOnlyList<int>> candidates)
    {
        if (references.Count == 0 || candidates.Count == 0)
        {
            return default;
        }

        var m = references.Sum(s => s.Count);
        var n = candidates.Sum(s => s.Count);
        if (m == 0 || n == 0)
        {
            return default;
        }

        var referenceCounts = CountTokens(references);
        var candidateCounts = CountTokens(candidates);
        var hits = 0;
        foreach (var reference in references)
        {
            foreach (var token in Lcs.UnionLcs(reference, candidates))
            {
                // ROUGE-1.5.5 counts a token only while both sides have copies left.
                if (candidateCounts.GetValueOrDefault(token) > 0 && referenceCounts.GetValueOrDefault(token) > 0)
                {
                    hits++;
                    candidateCounts[token]--;
                    referenceCounts[token]--;
                }
            }
        }

        return RougeScore.From((double)hits / n, (double)hits / m);
    }

    private static Dictionary<int, int> CountTokens(IReadOnlyList<IReadOnlyList<int>> sentences)
    {
        var counts = new Dictionary<int, int>();
        foreach (var sentence in sentences)
        {
            foreach (var token in sentence)
            {
                counts[token] = counts.GetValueOrDefault(token) + 1;
            }
        }

        return counts;
    }

    // rouge-score splits on "\n" only and drops empty strings (whitespace-only lines stay, as
    // sentences without tokens).
    private List<IReadOnlyList<int>> Sentences(string text)
    {
        var sentences = new List<IReadOnlyList<int>>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length > 0)
            {
                var ids = new List<int>();
                _tokenizer.Tokenize(line, _interner, ids);
                sentences.Add(ids);
            }
        }

        return sentences;
    }

    private RougeScore NgramOverlap()
    {
        _ngrams.Reset();
        var targetTotal = Math.Max(_target.Count - _n + 1, 0);
        var predictionTotal = Math.Max(_prediction.Count - _n + 1, 0);
        for (var i = 0; i < targetTotal; i++)
        {
            var id = NgramTable.Root;
            for (var j = i; j < i + _n; j++)
            {
                var before = _ngrams.Count;
                id = _ngrams.GetOrAdd(id, _target[j]);
                if (id == before)
                {
                    EnsureCapacity(id);
                    _targetCount[id] = 0;
                    _predictionCount[id] = 0;
                }
            }

            _targetCount[id]++;
        }

        var overlap = 0;
        for (var i = 0; i < predictionTotal; i++)
        {
            var id = NgramTable.Root;
            for (var j = i; j < i + _n && (j == i || id >= 0); j++)
            {
                id = _ngrams.Find(id, _prediction[j]);
            }

            // An n-gram is in the table only if the target has it.
            if (id >= 0 && ++_predictionCount[id] <= _targetCount[id])
            {
                overlap++;
            }
        }

        return RougeScore.From((double)overlap / Math.Max(predictionTotal, 1), (double)overlap / Math.Max(targetTotal, 1));
    }

    private void EnsureCapacity(int id)
    {
        if (id >= _targetCount.Length)
        {
            Array.Resize(ref _targetCount, _targetCount.Length * 2);
            Array.Resize(ref _predictionCount, _predictionCount.Length * 2);
        }
    }
}
