using Microsoft.Extensions.AI;

namespace AdaptLab.Server;

/// <summary>
/// What the server answers with: one chat model under <paramref name="ChatModelName"/>, and optionally an
/// embedding model under its metadata's model id. Callers serialize the chat client if it must run one call at a time.
/// With <see cref="FineTuning"/>, the fine-tuning jobs API trains the chat model and serves what the jobs make.
/// </summary>
public sealed record ServedModels(string ChatModelName, IChatClient Chat, IEmbeddingGenerator<string, Embedding<float>>? Embeddings = null)
{
    public FineTuning.FineTuningJobs? FineTuning { get; init; }

    /// <summary>Every chat model a request may name: the served one, then the fine-tuned ones.</summary>
    internal IEnumerable<string> ChatModelNames => [ChatModelName, .. FineTuning?.ModelNames ?? []];

    /// <summary>The client for a requested model name, or null when the server has no such model.</summary>
    internal IChatClient? ChatFor(string name) => name == ChatModelName ? Chat : FineTuning?.Model(name);

    internal string? EmbeddingModelName =>
        Embeddings?.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? (Embeddings is null ? null : "embeddings");
}
