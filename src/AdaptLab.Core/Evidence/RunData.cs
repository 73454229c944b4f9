using AdaptLab.Core.Items;
using AdaptLab.Core.Store;
using AdaptLab.Metrics;
using AdaptLab.Core.Prediction;
using AdaptLab.Core.Scoring;

namespace AdaptLab.Core.Evidence;

/// <summary>A stored run in memory, with its outputs parsed the way its task scores them.</summary>
internal sealed class RunData
{
    private readonly Dictionary<int, DataItem> itemsByIndex;
    private readonly MetricItemReader reader;
    private readonly ILookup<(string Variant, int ItemIndex), ScoreRecord> scores;

    private RunData(
        RunInfo run, IReadOnlyList<VariantInfo> variants, IReadOnlyList<DataItem> items, IReadOnlyList<PredictionRecord> predictions,
        IReadOnlyList<ScoreRecord> scores)
    {
        this.scores = scores.ToLookup(s => (s.Variant, s.ItemIndex));
        Run = run;
        Variants = variants;
        Items = items;
        Predictions = predictions;
        itemsByIndex = items.ToDictionary(i => i.Index);
        reader = new MetricItemReader(run.Config);
    }

    public RunInfo Run { get; }

    public IReadOnlyList<VariantInfo> Variants { get; }

    public IReadOnlyList<DataItem> Items { get; }

    public IReadOnlyList<PredictionRecord> Predictions { get; }

    public static RunData Load(RunStore store, RunInfo run) =>
        new(run, store.GetVariants(run.Id), store.GetItems(run.Id), store.GetPredictions(run.Id), store.GetScores(run.Id));

    public DataItem Item(int index) => itemsByIndex[index];

    /// <summary>The variant's predictions whose model call succeeded, by item index.</summary>
    public IReadOnlyList<PredictionRecord> Succeeded(string variant) =>
        Predictions.Where(p => p.Variant == variant && p.Output is not null).OrderBy(p => p.ItemIndex).ToList();

    /// <param name="predictions">Predictions whose call succeeded.</param>
    /// <remarks>
    /// Each item carries the per-item scores stored when the run was scored, so a metric that executes code reads its
    /// verdict instead of running it again.
    /// </remarks>
    public IReadOnlyList<MetricItem> MetricItems(IEnumerable<PredictionRecord> predictions) => predictions
        .Select(p => reader.Read(itemsByIndex[p.ItemIndex], p,
            scores[(p.Variant, p.ItemIndex)].ToDictionary(s => s.Metric, s => new FrozenScore(s.Value, s.Reason), StringComparer.Ordinal)))
        .ToList();

    /// <summary>The output as the metrics read it.</summary>
    public string Parse(string output) => reader.Parse(output);

    /// <summary>How a classification output matched the label set, or null for other tasks.</summary>
    public LabelMatch? MatchLabel(string output) => reader.MatchLabel(output);
}
