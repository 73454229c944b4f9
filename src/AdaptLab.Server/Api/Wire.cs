using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AdaptLab.Server.Api;

/// <summary>OpenAI's JSON shapes, named as OpenAI names them (snake_case).</summary>
internal static class Wire
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Bodies are JSON over HTTP, never inlined into HTML: quotes and apostrophes stay readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

internal sealed record ErrorBody(ErrorDetail Error);

internal sealed record ErrorDetail(string Message, string Type, string? Param, string? Code);

internal sealed record ModelList(IReadOnlyList<ModelEntry> Data, string Object = "list");

internal sealed record ModelEntry(string Id, long Created, string OwnedBy, string Object = "model");

internal sealed record ChatCompletion(string Id, long Created, string Model, IReadOnlyList<ChatChoice> Choices, UsageBody? Usage, string Object = "chat.completion");

internal sealed record ChatChoice(int Index, AssistantMessage Message, string? FinishReason, object? Logprobs = null);

/// <param name="Content">The reply's text; null when it is tool calls only, as OpenAI sends it.</param>
internal sealed record AssistantMessage(
    string? Content,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ToolCallBody>? ToolCalls = null,
    string Role = "assistant");

internal sealed record ToolCallBody(string Id, FunctionCallBody Function, string Type = "function");

/// <param name="Arguments">The arguments as JSON text.</param>
internal sealed record FunctionCallBody(string Name, string Arguments);

internal sealed record ChatCompletionChunk(
    string Id, long Created, string Model, IReadOnlyList<ChunkChoice> Choices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] UsageBody? Usage = null,
    string Object = "chat.completion.chunk");

internal sealed record ChunkChoice(int Index, Delta Delta, string? FinishReason, object? Logprobs = null);

internal sealed record Delta(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content = null);

internal sealed record UsageBody(long PromptTokens, long CompletionTokens, long TotalTokens);

internal sealed record EmbeddingList(IReadOnlyList<EmbeddingEntry> Data, string Model, EmbeddingUsage Usage, string Object = "list");

/// <param name="Embedding">float[] or, for <c>encoding_format: base64</c>, the little-endian float32 bytes in base64.</param>
internal sealed record EmbeddingEntry(int Index, object Embedding, string Object = "embedding");

internal sealed record EmbeddingUsage(long PromptTokens, long TotalTokens);
