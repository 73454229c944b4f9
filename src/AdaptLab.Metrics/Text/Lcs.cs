namespace AdaptLab.Metrics.Text;

/// <summary>Longest common subsequences over token ids, as rouge-score computes and reads them out.</summary>
internal static class Lcs
{
    /// <summary>The length only, in two rows of memory.</summary>
    public static int Length(ReadOnlySpan<int> reference, ReadOnlySpan<int> candidate)
    {
        Span<int> buffer = candidate.Length < 512 ? stackalloc int[2 * (candidate.Length + 1)] : new int[2 * (candidate.Length + 1)];
        var previous = buffer[..(candidate.Length + 1)];
        var current = buffer[(candidate.Length + 1)..];
        previous.Clear();
        current.Clear();
        foreach (var r in reference)
        {
            for (var j = 1; j <= candidate.Length; j++)
            {
                current[j] = r == candidate[j - 1] ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            }

            var swap = previous;
            previous = current;
            current = swap;
        }

        return previous[candidate.Length];
    }

    /// <summary>rouge-score's <c>_lcs_table</c>: (|ref|+1) x (|can|+1) lengths.</summary>
    public static int[,] Table(IReadOnlyList<int> reference, IReadOnlyList<int> candidate)
    {
        var table = new int[reference.Count + 1, candidate.Count + 1];
        for (var i = 1; i <= reference.Count; i++)
        {
            for (var j = 1; j <= candidate.Count; j++)
            {
                table[i, j] = reference[i - 1] == candidate[j - 1]
                    ? table[i - 1, j - 1] + 1
                    : Math.Max(table[i - 1, j], table[i, j - 1]);
            }
        }

        return table;
    }

    /// <summary>
    /// rouge-score's <c>_backtrack_norec</c>: the reference indices of one LCS. Which LCS it picks
    /// matters for the summary-level union, so its tie-breaking is kept.
    /// </summary>
    public static List<int> Backtrack(int[,] table, IReadOnlyList<int> reference, IReadOnlyList<int> candidate)
    {
        var i = reference.Count;
        var j = candidate.Count;
        var indices = new List<int>();
        while (i > 0 && j > 0)
        {
            if (reference[i - 1] == candidate[j - 1])
            {
                indices.Add(i - 1);
                i--;
                j--;
            }
            else if (table[i, j - 1] > table[i - 1, j])
            {
                j--;
            }
            else
            {
                i--;
            }
        }

        indices.Reverse();
        return indices;
    }

    /// <summary>rouge-score's <c>_find_union</c>: sorted distinct indices.</summary>
    public static List<int> FindUnion(IEnumerable<IEnumerable<int>> lcsList)
    {
        var union = new SortedSet<int>();
        foreach (var lcs in lcsList)
        {
            union.UnionWith(lcs);
        }

        return [.. union];
    }

    /// <summary>rouge-score's <c>_union_lcs</c>: the reference tokens covered by any candidate's LCS.</summary>
    public static List<int> UnionLcs(IReadOnlyList<int> reference, IEnumerable<IReadOnlyList<int>> candidates)
    {
        var lcsList = candidates.Select(c => Backtrack(Table(reference, c), reference, c));
        return FindUnion(lcsList).Select(i => reference[i]).ToList();
    }
}
