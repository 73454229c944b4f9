using System.Text.Json;
using System.Text.Json.Serialization;
using AdaptLab.Metrics.Retrieval;

namespace AdaptLab.Metrics;

/// <summary>
/// What a variant's context steps put into one prediction's prompt, as stored with the prediction and carried by
/// <see cref="MetricItem.Context"/>: the train ids of the few-shot examples in prompt order, and the retrieved chunks in
/// rank order (their text too, so reports and retrieval metrics see what the model saw) with the index version.
/// The one place this JSON is written and read: its names, order and omitted nulls are those of every stored prediction.
/// </summary>
/// <param name="Shots">Null without a few-shot step.</param>
/// <param name="Chunks">Null without a retrieve step; empty when it found nothing.</param>
/// <param name="Index">The index version the chunks came from; null without a retrieve step.</param>
public sealed record StepContext(
    [property: JsonPropertyName("shots"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Shots,
    [property: JsonPropertyName("chunks"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RetrievedPassage>? Chunks = null,
    [property: JsonPropertyName("index"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Index = null)
{
    /// <summary>The JSON stored with the prediction (System.Text.Json's default options: compact, its default escaping).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonSerializerOptions.Default);

    /// <returns>Null for a prediction without context steps (no stored context).</returns>
    /// <exception cref="JsonException">The text is not a stored context.</exception>
    public static StepContext? Parse(string? json) => json is null ? null : JsonSerializer.Deserialize<StepContext>(json, JsonSerializerOptions.Default);
}
