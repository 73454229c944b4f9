using AdaptLab.Core.Items;

namespace AdaptLab.Core.Variants;

/// <summary>
/// k train items spread evenly over the labels: the labels in a random order per item, one example of each in
/// turn, so no label appears twice before every label has appeared once (with 77 labels and k = 8, eight
/// different intents).
/// </summary>
internal sealed class BalancedShots : IShotSelector
{
    private readonly IReadOnlyList<DataItem[]> byLabel;
    private readonly int k;
    private readonly int seed;

    public BalancedShots(ShotPool pool, int k, int seed)
    {
        byLabel = [.. pool.Items.GroupBy(i => i.Expected.FirstOrDefault() ?? string.Empty).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.ToArray())];
        this.k = k;
        this.seed = seed;
    }

    public Task<IReadOnlyList<DataItem>> SelectAsync(DataItem item, CancellationToken cancellationToken)
    {
        var random = ItemRandom.For(seed, item.Id);
        var labels = ItemRandom.Choose(random, byLabel.Count, byLabel.Count);
        var orders = new Dictionary<int, int[]>();
        var chosen = new List<DataItem>(k);
        for (var round = 0; chosen.Count < k; round++)
        {
            foreach (var label in labels)
            {
                var examples = byLabel[label];
                if (round >= examples.Length || chosen.Count == k)
                {
                    continue;
                }

                if (!orders.TryGetValue(label, out var order))
                {
                    orders[label] = order = ItemRandom.Choose(random, examples.Length, examples.Length);
                }

                chosen.Add(examples[order[round]]);
            }
        }

        return Task.FromResult<IReadOnlyList<DataItem>>(chosen);
    }
}
