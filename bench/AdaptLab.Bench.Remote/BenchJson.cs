using System.Text.Json.Serialization;

namespace AdaptLab.Bench.Remote;

internal sealed record Completion(
    string Id,
    string Object,
    long Created,
    string Model,
    IReadOnlyList<Choice> Choices,
    Usage Usage);

internal sealed record Choice(int Index, Message Message, [property: JsonPropertyName("finish_reason")] string FinishReason);

internal sealed record Message(string Role, string Content);

internal sealed record Usage(
    [property: JsonPropertyName("prompt_tokens")] int PromptTokens,
    [property: JsonPropertyName("completion_tokens")] int CompletionTokens,
    [property: JsonPropertyName("total_tokens")] int TotalTokens);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Completion))]
internal sealed partial class BenchJson : JsonSerializerContext;
