namespace AdaptLab.Core.Items;

/// <summary>
/// Seeded sampling of a split. Stratified sampling keeps each label's share of the split
/// (largest-remainder allocation), so a 300-item sample of BANKING77 still covers every intent.
/// </summary>
internal static class Sampler
{
    public static IReadOnlyList<DataItem> Sample(IReadOnlyList<DataItem> items, int size, int seed, bool stratify) =>
        size >= items.Count ? items : [.. Choose([.. items.Select(StratumOf)], size, seed, stratify).Select(i => items[i])];

    /// <summary>The stratum an item is drawn in: its first expected answer (its label).</summary>
    public static string StratumOf(DataItem item) => item.Expected.Count > 0 ? item.Expected[0] : string.Empty;

    /// <summary>The positions of a sample of <paramref name="size"/> among items of the given strata, in ascending order.</summary>
    /// <param name="strata">Each item's stratum (read only when stratifying).</param>
    public static int[] Choose(IReadOnlyList<string> strata, int size, int seed, bool stratify)
    {
        var count = strata.Count;
        if (size >= count)
        {
            return [.. Enumerable.Range(0, count)];
        }

        var random = new Random(seed);
        if (!stratify)
        {
            return [.. Shuffle([.. Enumerable.Range(0, count)], random).Take(size).Order()];
        }

        var groups = Enumerable.Range(0, count).GroupBy(i => strata[i], StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Items: g.ToArray(), Quota: (double)g.Count() * size / count))
            .ToList();
        var counts = groups.Select(s => (int)Math.Floor(s.Quota)).ToArray();
        var remaining = size - counts.Sum();
        foreach (var i in Enumerable.Range(0, groups.Count)
            .OrderByDescending(i => groups[i].Quota - counts[i]).ThenBy(i => i).Take(remaining))
        {
            counts[i]++;
        }

        return [.. groups.SelectMany((s, i) => Shuffle(s.Items, random).Take(counts[i])).Order()];
    }

    private static int[] Shuffle(int[] items, Random random)
    {
        random.Shuffle(items);
        return items;
    }
}
