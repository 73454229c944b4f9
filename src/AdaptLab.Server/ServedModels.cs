using Microsoft.Extensions.AI;

namespace AdaptLab.Server;

/// <summary>
/// What the server answers with: one chat model under <paramref name="ChatModelName"/>, and optionally an
/// embedding model under its metadata's model id. Callers serialize the chat client if it must run one call at a time.
/// </summary>
public sealed record ServedModels(string ChatModelName, IChatClient Chat, IEmbeddingGenerator<string, Embedding<float>>? Embeddings = null)
{
    internal string? EmbeddingModelName =>
        Embeddings?.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? (Embeddings is null ? null : "embeddings");
}
