using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Models;

internal static class EmbeddingCacheExtensions
{
    /// <summary>
    /// Answers texts embedded before from the SQLite file at <paramref name="path"/> (created with its folder when
    /// missing), keyed by the encoder's model id and each text's SHA-256; only the others reach the encoder.
    /// </summary>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseEmbeddingCache(this EmbeddingGeneratorBuilder<string, Embedding<float>> builder, string path) =>
        builder.Use(inner => new EmbeddingCacheGenerator(inner, path));
}
