using AdaptLab.Core.Store;
using AdaptLab.Metrics;

namespace AdaptLab.Core.Evaluation;

/// <summary>A stored run in memory, with its outputs parsed the way its task scores them.</summary>
public sealed class RunData
{
    private readonly Dictionary<int, ItemInfo> itemsByIndex;

    private RunData(RunInfo run, IReadOnlyList<VariantInfo> variants, IReadOnlyList<ItemInfo> items, IReadOnlyList<PredictionRecord> predictions)
    {
        Run = run;
        Variants = variants;
        Items = items;
        Predictions = predictions;
        itemsByIndex = items.ToDictionary(i => i.Index);
    }

    public RunInfo Run { get; }

    public IReadOnlyList<VariantInfo> Variants { get; }

    public IReadOnlyList<ItemInfo> Items { get; }

    public IReadOnlyList<PredictionRecord> Predictions { get; }

    public static RunData Load(RunStore store, RunInfo run) =>
        new(run, store.GetVariants(run.Id), store.GetItems(run.Id), store.GetPredictions(run.Id));

    public ItemInfo Item(int index) => itemsByIndex[index];

    /// <summary>The variant's predictions whose model call succeeded, by item index.</summary>
    public IReadOnlyList<PredictionRecord> Succeeded(string variant) =>
        Predictions.Where(p => p.Variant == variant && p.Output is not null).OrderBy(p => p.ItemIndex).ToList();

    public IReadOnlyList<MetricItem> MetricItems(IEnumerable<PredictionRecord> predictions) => predictions.Select(p =>
    {
        var item = itemsByIndex[p.ItemIndex];
        return new MetricItem(OutputParser.Parse(Run.Config.Kind, p.Output!), item.Expected) { Fields = item.Fields };
    }).ToList();
}
