using AdaptLab.Core.Store;
using AdaptLab.Metrics;

namespace AdaptLab.Core.Evaluation;

/// <summary>A stored run in memory, with its outputs parsed the way its task scores them.</summary>
public sealed class RunData
{
    private readonly Dictionary<int, ItemInfo> itemsByIndex;
    private readonly LabelMatcher? labels;

    private RunData(RunInfo run, IReadOnlyList<VariantInfo> variants, IReadOnlyList<ItemInfo> items, IReadOnlyList<PredictionRecord> predictions)
    {
        Run = run;
        Variants = variants;
        Items = items;
        Predictions = predictions;
        itemsByIndex = items.ToDictionary(i => i.Index);
        labels = run.Config.CreateLabelMatcher();
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
        return new MetricItem(Parse(p.Output!), item.Expected) { Fields = item.Fields };
    }).ToList();

    /// <summary>The output as the metrics read it.</summary>
    public string Parse(string output) => OutputParser.Parse(Run.Config.Kind, output, labels);

    /// <summary>How a classification output matched the label set, or null for other tasks.</summary>
    public LabelMatch? MatchLabel(string output) => labels?.Match(output);
}
