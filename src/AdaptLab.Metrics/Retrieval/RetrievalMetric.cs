using System.Text.Json;

namespace AdaptLab.Metrics.Retrieval;

public enum RetrievalMeasure
{
    /// <summary>recall@k: the share of the item's gold passages found in the top k.</summary>
    Recall,

    /// <summary>MRR@k: one over the rank of the first gold passage found, 0 when none is in the top k.</summary>
    Mrr,

    /// <summary>nDCG@k with binary gains: each gold passage counts once, at the rank of its first chunk.</summary>
    Ndcg,
}

/// <summary>
/// Retrieval quality where the gold passages are known (an item field holds their text, or their source ids):
/// computed from the chunks stored with each prediction, so it separates "the retriever missed" from "the model
/// ignored what it was given". A chunk belongs to a gold passage when one contains the other (text, after
/// lowercasing and collapsing whitespace) or when its source is the passage's id; each chunk counts for one passage.
/// </summary>
public sealed class RetrievalMetric(string name, RetrievalMeasure measure, int? k, string goldField, bool bySource) : IMetric, IReadsItemFields, IScopedMetric
{
    public string Name => name;

    public MetricShape Shape => MetricShape.MeanOfItems;

    public bool HigherIsBetter => true;

    public IReadOnlyList<string> RequiredFields => [goldField];

    public static RetrievalMetric FromOptions(string name, RetrievalMeasure measure, MetricOptions options)
    {
        var k = options.Values.ContainsKey("k") ? options.GetInt("k", 0) : (int?)null;
        if (k is < 1)
        {
            throw new ArgumentException($"{name}: k must be at least 1");
        }

        if (!options.Values.TryGetValue("gold", out var gold))
        {
            throw new ArgumentException($"{name} needs `gold`: the item field holding the gold passages' text (or, with match: source, their ids)");
        }

        return new RetrievalMetric(name, measure, k, gold, options.GetString("match", "text") == "source");
    }

    public bool AppliesTo(IReadOnlyList<MetricItem> items) => RetrievedContext.AnyRetrieved(items);

    public (string Field, string Problem)? Check(IReadOnlyDictionary<string, string> fields) =>
        !fields.TryGetValue(goldField, out var value) || Golds(value).Count == 0
            ? (goldField, "has no gold passage (retrieval metrics need one per item)")
            : null;

    public MetricValue Compute(IReadOnlyList<MetricItem> items)
    {
        var scores = new double[items.Count];
        var reasons = new string?[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var chunks = RetrievedContext.Chunks(items[i].Context) ?? [];
            var golds = Golds(items[i].Fields.GetValueOrDefault(goldField, string.Empty));
            var ranks = FirstRanks(chunks.Take(k ?? int.MaxValue).ToList(), golds);
            scores[i] = Score(ranks, golds.Count);
            if (scores[i] < 1)
            {
                reasons[i] = ranks.Count == 0
                    ? $"no gold passage among the {Math.Min(chunks.Count, k ?? int.MaxValue)} chunks retrieved"
                    : $"gold passages at ranks {string.Join(", ", ranks.Order())} of {golds.Count}";
            }
        }

        return new MetricValue(scores.Length == 0 ? 0 : scores.Average(), scores, reasons);
    }

    private double Score(IReadOnlyList<int> ranks, int golds) => measure switch
    {
        RetrievalMeasure.Recall => golds == 0 ? 0 : ranks.Count / (double)golds,
        RetrievalMeasure.Mrr => ranks.Count == 0 ? 0 : 1.0 / ranks.Min(),
        _ => golds == 0 ? 0 : ranks.Sum(r => 1 / Math.Log2(r + 1)) / Enumerable.Range(1, Math.Min(golds, k ?? golds)).Sum(r => 1 / Math.Log2(r + 1)),
    };

    /// <summary>For each gold passage found, the rank (from 1) of the first chunk that belongs to it.</summary>
    private List<int> FirstRanks(IReadOnlyList<RetrievedPassage> chunks, IReadOnlyList<string> golds)
    {
        var normalized = golds.Select(Normalize).ToList();
        var found = new int?[golds.Count];
        for (var rank = 1; rank <= chunks.Count; rank++)
        {
            var chunk = chunks[rank - 1];
            var text = Normalize(chunk.Text);
            for (var g = 0; g < golds.Count; g++)
            {
                var belongs = bySource ? chunk.Source == golds[g] : normalized[g].Contains(text, StringComparison.Ordinal) || text.Contains(normalized[g], StringComparison.Ordinal);
                if (found[g] is null && belongs)
                {
                    found[g] = rank;
                    break;
                }
            }
        }

        return [.. found.OfType<int>()];
    }

    /// <summary>The gold passages: a JSON list of strings, or one string.</summary>
    private static List<string> Golds(string value)
    {
        if (value.StartsWith('['))
        {
            try
            {
                return [.. JsonSerializer.Deserialize<List<string>>(value)!.Where(g => g.Trim().Length > 0)];
            }
            catch (JsonException)
            {
                // Not a list: the text itself.
            }
        }

        return value.Trim().Length == 0 ? [] : [value];
    }

    private static string Normalize(string text) => string.Join(' ', text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
