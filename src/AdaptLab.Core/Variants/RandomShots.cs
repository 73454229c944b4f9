using AdaptLab.Core.Items;

namespace AdaptLab.Core.Variants;

/// <summary>k train items drawn without replacement, afresh for each item.</summary>
internal sealed class RandomShots(ShotPool pool, int k, int seed) : IShotSelector
{
    public Task<IReadOnlyList<DataItem>> SelectAsync(DataItem item, CancellationToken cancellationToken)
    {
        var chosen = ItemRandom.Choose(ItemRandom.For(seed, item.Id), pool.Items.Count, k);
        return Task.FromResult<IReadOnlyList<DataItem>>([.. chosen.Select(i => pool.Items[i])]);
    }
}
