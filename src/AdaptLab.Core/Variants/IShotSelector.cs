using AdaptLab.Core.Items;

namespace AdaptLab.Core.Variants;

/// <summary>A context step: the few-shot examples for one test item, from the <see cref="ShotPool"/>.</summary>
internal interface IShotSelector
{
    Task<IReadOnlyList<DataItem>> SelectAsync(DataItem item, CancellationToken cancellationToken);
}
