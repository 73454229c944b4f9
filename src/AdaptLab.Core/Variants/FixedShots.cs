using AdaptLab.Core.Items;

namespace AdaptLab.Core.Variants;

/// <summary>The same listed train items, in order, for every item.</summary>
internal sealed class FixedShots(ShotPool pool, IReadOnlyList<string> ids) : IShotSelector
{
    private readonly IReadOnlyList<DataItem> shots = [.. ids.Select(id => pool.Items.First(i => i.Id == id))];

    public Task<IReadOnlyList<DataItem>> SelectAsync(DataItem item, CancellationToken cancellationToken) => Task.FromResult(shots);
}
