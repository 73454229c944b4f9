namespace AdaptLab.Metrics.Text;

/// <summary>
/// The number of edits (insertions, deletions, substitutions and block shifts) that turn a
/// hypothesis into a reference, as sacrebleu's <c>lib_ter.translation_edit_rate</c> computes it:
/// greedy shifts ranked like Tercom, a beam around the diagonal of the edit-distance table, and at
/// most 1000 shift candidates per sentence. Words are compared as ids.
/// </summary>
internal static class TranslationEditRate
{
    private const int MaxShiftSize = 10;
    private const int MaxShiftDistance = 50;
    private const int MaxShiftCandidates = 1000;

    /// <summary>The edit count; an empty reference costs one edit per hypothesis word.</summary>
    public static int Edits(int[] hypothesis, int[] reference)
    {
        if (reference.Length == 0)
        {
            return hypothesis.Length;
        }

        var distance = new BeamEditDistance(reference, hypothesis.Length);
        var shifts = 0;
        var words = hypothesis;
        var checkedCandidates = 0;
        while (true)
        {
            var (delta, shifted) = BestShift(words, reference, distance, ref checkedCandidates);

            // sacrebleu drops the best shift of the round in which the candidate budget ran out.
            if (checkedCandidates >= MaxShiftCandidates || delta <= 0)
            {
                break;
            }

            shifts++;
            words = shifted;
        }

        return shifts + distance.Distance(words, null);
    }

    private static (int Delta, int[] Words) BestShift(int[] words, int[] reference, BeamEditDistance distance, ref int checkedCandidates)
    {
        var trace = new List<EditOp>();
        var preScore = distance.Distance(words, trace);
        var (align, refErr, hypErr) = Alignment(trace, reference.Length);

        // Tercom's ranking: biggest gain, then longest, then earliest start, then earliest target.
        (int Delta, int Length, int NegStart, int NegTarget)? best = null;
        var bestWords = words;
        for (var startH = 0; startH < words.Length; startH++)
        {
            for (var startR = 0; startR < reference.Length; startR++)
            {
                if (Math.Abs(startR - startH) > MaxShiftDistance)
                {
                    continue;
                }

                for (var length = 1; length <= MaxShiftSize && words[startH + length - 1] == reference[startR + length - 1]; length++)
                {
                    if (IsWorthShifting(align, refErr, hypErr, startH, startR, length))
                    {
                        var previousTarget = -1;
                        for (var offset = -1; offset < length; offset++)
                        {
                            var target = startR + offset == -1 ? 0 : align[startR + offset] + 1;
                            if (target == previousTarget)
                            {
                                continue;
                            }

                            previousTarget = target;
                            var shifted = PerformShift(words, startH, length, target);
                            var candidate = (preScore - distance.Distance(shifted, null), length, -startH, -target);
                            checkedCandidates++;
                            if (best is null || candidate.CompareTo(best.Value) > 0)
                            {
                                best = candidate;
                                bestWords = shifted;
                            }
                        }

                        if (checkedCandidates >= MaxShiftCandidates)
                        {
                            return (best!.Value.Delta, bestWords);
                        }
                    }

                    if (startH + length == words.Length || startR + length == reference.Length)
                    {
                        break;
                    }
                }
            }
        }

        return best is null ? (0, words) : (best.Value.Delta, bestWords);
    }

    // Shift only words that are wrong, onto reference words that are not matched, and not within
    // the block itself.
    private static bool IsWorthShifting(int[] align, List<int> refErr, List<int> hypErr, int startH, int startR, int length) =>
        SumSlice(hypErr, startH, length) != 0
        && SumSlice(refErr, startR, length) != 0
        && !(startH <= align[startR] && align[startR] < startH + length);

    // The trace rewrites the hypothesis into the reference; sacrebleu flips it to rewrite the
    // reference into the hypothesis, so a deletion here advances the hypothesis only.
    private static (int[] Align, List<int> RefErr, List<int> HypErr) Alignment(List<EditOp> trace, int referenceLength)
    {
        var align = new int[referenceLength];
        var refErr = new List<int>(referenceLength);
        var hypErr = new List<int>();
        int posHyp = -1, posRef = -1;
        foreach (var op in trace)
        {
            switch (op)
            {
                case EditOp.None or EditOp.Substitute:
                    var error = op == EditOp.Substitute ? 1 : 0;
                    align[++posRef] = ++posHyp;
                    hypErr.Add(error);
                    refErr.Add(error);
                    break;
                case EditOp.Delete:
                    posHyp++;
                    hypErr.Add(1);
                    break;
                case EditOp.Insert:
                    align[++posRef] = posHyp;
                    refErr.Add(1);
                    break;
                default:
                    throw new InvalidOperationException($"unexpected edit operation {op}");
            }
        }

        return (align, refErr, hypErr);
    }

    private static int SumSlice(List<int> values, int start, int length)
    {
        var sum = 0;
        for (var i = start; i < Math.Min(values.Count, start + length); i++)
        {
            sum += values[i];
        }

        return sum;
    }

    /// <summary>sacrebleu's <c>_perform_shift</c>, including its Python slice clamping.</summary>
    private static int[] PerformShift(int[] words, int start, int length, int target)
    {
        var result = new List<int>(words.Length);
        if (target < start)
        {
            AddSlice(result, words, 0, target);
            AddSlice(result, words, start, start + length);
            AddSlice(result, words, target, start);
            AddSlice(result, words, start + length, words.Length);
        }
        else if (target > start + length)
        {
            AddSlice(result, words, 0, start);
            AddSlice(result, words, start + length, target);
            AddSlice(result, words, start, start + length);
            AddSlice(result, words, target, words.Length);
        }
        else
        {
            AddSlice(result, words, 0, start);
            AddSlice(result, words, start + length, length + target);
            AddSlice(result, words, start, start + length);
            AddSlice(result, words, length + target, words.Length);
        }

        return [.. result];
    }

    private static void AddSlice(List<int> result, int[] words, int from, int to)
    {
        for (var i = from; i < Math.Min(to, words.Length); i++)
        {
            result.Add(words[i]);
        }
    }
}

internal enum EditOp : byte
{
    None,
    Substitute,
    Insert,
    Delete,
    Undefined,
}

/// <summary>
/// sacrebleu's <c>BeamEditDistance</c>: Levenshtein distance from a hypothesis to a fixed
/// reference, computing only a band around the length-scaled diagonal. Preference order on ties
/// is substitution/match, then deletion, then insertion, as sacrebleu orders them.
/// </summary>
internal sealed class BeamEditDistance
{
    private const int BeamWidth = 25;
    private const int Infinity = int.MaxValue / 4;

    private readonly int[] _reference;
    private readonly int[][] _cost;
    private readonly EditOp[][] _ops;

    public BeamEditDistance(int[] reference, int hypothesisLength)
    {
        _reference = reference;
        _cost = new int[hypothesisLength + 1][];
        _ops = new EditOp[hypothesisLength + 1][];
        for (var i = 0; i <= hypothesisLength; i++)
        {
            _cost[i] = new int[reference.Length + 1];
            _ops[i] = new EditOp[reference.Length + 1];
        }

        for (var j = 0; j <= reference.Length; j++)
        {
            _cost[0][j] = j;
            _ops[0][j] = EditOp.Insert;
        }
    }

    /// <summary>The distance; when <paramref name="trace"/> is given it receives the operations in order.</summary>
    public int Distance(int[] words, List<EditOp>? trace)
    {
        var n = words.Length;
        var m = _reference.Length;
        var lengthRatio = n > 0 ? (double)m / n : 1.0;
        var beam = BeamWidth < lengthRatio / 2 ? (int)Math.Ceiling((lengthRatio / 2) + BeamWidth) : BeamWidth;
        for (var i = 1; i <= n; i++)
        {
            var cost = _cost[i];
            var ops = _ops[i];
            Array.Fill(cost, Infinity);
            Array.Fill(ops, EditOp.Undefined);
            var above = _cost[i - 1];
            var diagonal = (int)Math.Floor(i * lengthRatio);
            var minJ = Math.Max(0, diagonal - beam);
            var maxJ = i == n ? m + 1 : Math.Min(m + 1, diagonal + beam);
            for (var j = minJ; j < maxJ; j++)
            {
                if (j == 0)
                {
                    cost[0] = above[0] + 1;
                    ops[0] = EditOp.Delete;
                    continue;
                }

                // Strict improvements over "infinity", in sacrebleu's order, so a cell no band
                // neighbour reaches stays undefined exactly as there.
                var match = words[i - 1] == _reference[j - 1];
                var best = Infinity;
                var op = EditOp.Undefined;
                if (above[j - 1] + (match ? 0 : 1) < best)
                {
                    best = above[j - 1] + (match ? 0 : 1);
                    op = match ? EditOp.None : EditOp.Substitute;
                }

                if (above[j] + 1 < best)
                {
                    best = above[j] + 1;
                    op = EditOp.Delete;
                }

                if (cost[j - 1] + 1 < best)
                {
                    best = cost[j - 1] + 1;
                    op = EditOp.Insert;
                }

                cost[j] = best;
                ops[j] = op;
            }
        }

        if (trace is not null)
        {
            Backtrack(n, m, trace);
        }

        return _cost[n][m];
    }

    private void Backtrack(int i, int j, List<EditOp> trace)
    {
        trace.Clear();
        while (i > 0 || j > 0)
        {
            var op = _ops[i][j];
            trace.Add(op);
            switch (op)
            {
                case EditOp.None or EditOp.Substitute:
                    i--;
                    j--;
                    break;
                case EditOp.Insert:
                    j--;
                    break;
                case EditOp.Delete:
                    i--;
                    break;
                default:
                    throw new InvalidOperationException("the edit-distance beam left the optimal path undefined");
            }
        }

        trace.Reverse();
    }
}
