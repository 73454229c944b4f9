using AdaptLab.Core.Items;
using AdaptLab.Core.Tasks;

namespace AdaptLab.Core.Variants;

/// <summary>
/// The train items few-shot examples may come from: every one but those that are also test items (the same id,
/// or the same input text), so a prompt never shows the model the answer to the item it is asked. Ids that are row
/// numbers are per split and compared by input text alone.
/// </summary>
internal sealed class ShotPool
{
    private readonly Dataset train;

    private ShotPool(Dataset train, IReadOnlyList<DataItem> items)
    {
        this.train = train;
        Items = items;
    }

    public IReadOnlyList<DataItem> Items { get; }

    /// <summary>Train items left out because they are test items too.</summary>
    public int Excluded => train.Items.Count - Items.Count;

    public static ShotPool From(Dataset train, IReadOnlyCollection<(string Id, string Input)> testItems)
    {
        var ids = train.RowNumberIds ? [] : testItems.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        var inputs = testItems.Select(i => i.Input).ToHashSet(StringComparer.Ordinal);
        var kept = train.Items.Where(t => !ids.Contains(t.Id) && !inputs.Contains(t.Input)).ToList();
        return new ShotPool(train, kept);
    }

    /// <exception cref="InputException">The variant asks for more examples than the pool has, or fixed ids it lacks.</exception>
    public void Check(ShotsSpec spec, string taskPath, string variant)
    {
        var field = $"variants.{variant}.shots";
        if (spec.Select == ShotSelection.Fixed)
        {
            foreach (var id in spec.Ids)
            {
                if (Items.Any(i => i.Id == id))
                {
                    continue;
                }

                throw new InputException(taskPath, null, field + ".ids", train.Items.Any(i => i.Id == id)
                    ? $"train item '{id}' is also a test item (the same {(train.RowNumberIds ? "input" : "id or input")}); an example must never be a question the model is asked"
                    : $"no item of {train.Path} has the id '{id}'");
            }
        }
        else if (spec.K > Items.Count)
        {
            throw new InputException(taskPath, null, field + ".k",
                $"k is {spec.K} but the train split has {Items.Count} items to choose from" + (Excluded > 0 ? $" ({Excluded} more are test items)" : string.Empty));
        }
    }
}
