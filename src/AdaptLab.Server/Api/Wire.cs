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

internal sealed record ListBody<T>(IReadOnlyList<T> Data, bool HasMore, string Object = "list");

internal sealed record FileBody(string Id, long Bytes, long CreatedAt, string Filename, string Purpose, string Object = "file", string Status = "processed");

internal sealed record JobHyperparametersBody(int NEpochs, int BatchSize, double LearningRateMultiplier);

internal sealed record JobErrorBody(string Code, string Message, string? Param = null);

internal sealed record JobBody(
    string Id, long CreatedAt, long? FinishedAt, string Model, string? FineTunedModel, string Status, JobHyperparametersBody Hyperparameters,
    string TrainingFile, string? ValidationFile, long? TrainedTokens, JobErrorBody? Error, int Seed, string? Suffix,
    string OrganizationId = "adaptlab", string Object = "fine_tuning.job")
{
    public IReadOnlyList<string> ResultFiles { get; } = [];

    public static JobBody Of(FineTuning.FineTuningJob job) => new(
        job.Id, job.CreatedAt, job.FinishedAt, job.BaseModel, job.FineTunedModel, job.Status,
        new JobHyperparametersBody(job.Hyperparameters.Epochs, job.Hyperparameters.BatchSize, job.Hyperparameters.LearningRateMultiplier),
        job.TrainingFile, job.ValidationFile, job.TrainedTokens, job.Error is { } e ? new JobErrorBody(e.Code, e.Message) : null, job.Seed, job.Suffix);
}
