namespace AdaptLab.Core.Data;

/// <summary>
/// Seeded sampling of a split. Stratified sampling keeps each label's share of the split
/// (largest-remainder allocation), so a 300-item sample of BANKING77 still covers every intent.
/// </summary>
public static class Sampler
{
    public static IReadOnlyList<DataItem> Sample(IReadOnlyList<DataItem> items, int size, int seed, bool stratify)
    {
        if (size >= items.Count)
        {
            return items;
        }

        var random = new Random(seed);
        if (!stratify)
        {
            return Shuffle(items.ToArray(), random).Take(size).OrderBy(i => i.Index).ToList();
        }

        var strata = items.GroupBy(i => i.Expected.Count > 0 ? i.Expected[0] : string.Empty)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Items: g.ToArray(), Quota: (double)g.Count() * size / items.Count))
            .ToList();
        var counts = strata.Select(s => (int)Math.Floor(s.Quota)).ToArray();
        var remaining = size - counts.Sum();
        foreach (var i in Enumerable.Range(0, strata.Count)
            .OrderByDescending(i => strata[i].Quota - counts[i]).ThenBy(i => i).Take(remaining))
        {
            counts[i]++;
        }

        return strata.SelectMany((s, i) => Shuffle(s.Items, random).Take(counts[i]))
            .OrderBy(i => i.Index)
            .ToList();
    }

    private static DataItem[] Shuffle(DataItem[] items, Random random)
    {
        random.Shuffle(items);
        return items;
    }
}
