using System.Globalization;
using System.Text.RegularExpressions;

namespace AdaptLab.Metrics.Retrieval;

/// <summary>
/// Whether an answer cites the chunks it was given, and whether the cited chunks support it lexically: at least
/// <c>min_overlap</c> of the answer's content words (lowercased, stopwords left out) occur in the cited chunks. A
/// first, cheap check of grounding; an LLM judge can replace it where wording differs.
/// </summary>
public sealed partial class CitationSupport(double minOverlap) : IMetric, IScopedMetric
{
    private static readonly HashSet<string> Stopwords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "is", "are", "was", "were",
        "be", "been", "it", "its", "this", "that", "these", "those", "he", "she", "they", "his", "her", "their", "which", "who", "what",
    };

    public string Name => "citation_support";

    public MetricShape Shape => MetricShape.MeanOfBinary;

    public bool HigherIsBetter => true;

    public bool AppliesTo(IReadOnlyList<MetricItem> items) => RetrievedContext.AnyRetrieved(items);

    public MetricValue Compute(IReadOnlyList<MetricItem> items)
    {
        var scores = new double[items.Count];
        var reasons = new string?[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            reasons[i] = Judge(items[i].Reply ?? items[i].Prediction, RetrievedContext.Chunks(items[i].Context) ?? []);
            scores[i] = reasons[i] is null ? 1 : 0;
        }

        return new MetricValue(scores.Length == 0 ? 0 : scores.Average(), scores, reasons);
    }

    /// <returns>Why the answer is not supported, or null when it is.</returns>
    private string? Judge(string answer, IReadOnlyList<RetrievedPassage> chunks)
    {
        var cited = Citations.Parse(answer);
        if (cited.Count == 0)
        {
            return "cites no chunk";
        }

        if (cited.Where(n => n < 1 || n > chunks.Count).ToList() is [var outside, ..])
        {
            return $"cites [{outside}], but {chunks.Count} chunks were given";
        }

        var words = Words(Citations.Strip(answer)).Where(w => !Stopwords.Contains(w)).Distinct().ToList();
        if (words.Count == 0)
        {
            return null;
        }

        var support = cited.SelectMany(n => Words(chunks[n - 1].Text)).ToHashSet(StringComparer.Ordinal);
        var unsupported = words.Where(w => !support.Contains(w)).ToList();
        var overlap = 1 - (unsupported.Count / (double)words.Count);
        return overlap >= minOverlap
            ? null
            : $"{overlap.ToString("P0", CultureInfo.InvariantCulture)} of the answer's words are in the cited chunks (missing: {string.Join(", ", unsupported.Take(8))})";
    }

    private static IEnumerable<string> Words(string text) => Word().Matches(text.ToLowerInvariant()).Select(m => m.Value);

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();
}
