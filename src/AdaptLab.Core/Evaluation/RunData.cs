using AdaptLab.Core.Store;
using AdaptLab.Metrics;
using AdaptLab.Metrics.Retrieval;

namespace AdaptLab.Core.Evaluation;

/// <summary>A stored run in memory, with its outputs parsed the way its task scores them.</summary>
public sealed class RunData
{
    private readonly Dictionary<int, ItemInfo> itemsByIndex;
    private readonly LabelMatcher? labels;
    private readonly ILookup<(string Variant, int ItemIndex), ScoreRecord> scores;

    private RunData(
        RunInfo run, IReadOnlyList<VariantInfo> variants, IReadOnlyList<ItemInfo> items, IReadOnlyList<PredictionRecord> predictions,
        IReadOnlyList<ScoreRecord> scores)
    {
        this.scores = scores.ToLookup(s => (s.Variant, s.ItemIndex));
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
        new(run, store.GetVariants(run.Id), store.GetItems(run.Id), store.GetPredictions(run.Id), store.GetScores(run.Id));

    public ItemInfo Item(int index) => itemsByIndex[index];

    /// <summary>The variant's predictions whose model call succeeded, by item index.</summary>
    public IReadOnlyList<PredictionRecord> Succeeded(string variant) =>
        Predictions.Where(p => p.Variant == variant && p.Output is not null).OrderBy(p => p.ItemIndex).ToList();

    /// <param name="predictions">Predictions whose call succeeded.</param>
    /// <param name="frozen">
    /// Attach the per-item scores stored when the run was scored, so a metric that executes code
    /// reads its verdict instead of running it again; false when scoring itself.
    /// </param>
    public IReadOnlyList<MetricItem> MetricItems(IEnumerable<PredictionRecord> predictions, bool frozen = true) => predictions.Select(p =>
    {
        var item = itemsByIndex[p.ItemIndex];
        // Answer metrics read a grounded answer without its citation markers; citation metrics read the reply.
        var parsed = Parse(p.Output!);
        return new MetricItem(RetrievedContext.Chunks(p.Context) is null ? parsed : Citations.Strip(parsed), item.Expected)
        {
            Fields = item.Fields,
            Context = p.Context,
            Reply = p.Output,
            Frozen = frozen
                ? scores[(p.Variant, p.ItemIndex)].ToDictionary(s => s.Metric, s => new FrozenScore(s.Value, s.Reason), StringComparer.Ordinal)
                : new Dictionary<string, FrozenScore>(),
        };
    }).ToList();

    /// <summary>The output as the metrics read it.</summary>
    public string Parse(string output) => OutputParser.Parse(Run.Config.Kind, output, labels);

    /// <summary>How a classification output matched the label set, or null for other tasks.</summary>
    public LabelMatch? MatchLabel(string output) => labels?.Match(output);
}
