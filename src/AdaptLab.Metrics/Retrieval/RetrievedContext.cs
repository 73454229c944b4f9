using System.Text.Json.Serialization;

namespace AdaptLab.Metrics.Retrieval;

/// <summary>The chunks a prediction's retrieve step put into its prompt, in rank order, read from the stored context.</summary>
public static class RetrievedContext
{
    /// <returns>Null when the prediction had no retrieve step.</returns>
    public static IReadOnlyList<RetrievedPassage>? Chunks(string? context) => StepContext.Parse(context)?.Chunks;

    public static bool AnyRetrieved(IReadOnlyList<MetricItem> items) => items.Any(i => Chunks(i.Context) is not null);
}

/// <summary>A retrieved chunk as a prediction's context stores it (<see cref="StepContext.Chunks"/>): in this order, under these names.</summary>
public sealed record RetrievedPassage(
    [property: JsonPropertyName("id"), JsonPropertyOrder(1)] string Id,
    [property: JsonPropertyName("source"), JsonPropertyOrder(2)] string Source,
    [property: JsonPropertyName("text"), JsonPropertyOrder(4)] string Text)
{
    /// <summary>The retriever's score, rounded to 6 decimals as stored (0 in a passage built without one).</summary>
    [JsonPropertyName("score")]
    [JsonPropertyOrder(3)]
    public double Score { get; init; }
}
