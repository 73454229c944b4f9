using System.Runtime.CompilerServices;
using AdaptLab.Retrieval.Index;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace AdaptLab.Retrieval.Search;

/// <summary>
/// The built-in index behind Microsoft.Extensions.VectorData's search abstraction, like any connector's
/// collection: a string query is embedded with the index's encoder, a vector is searched as given.
/// </summary>
public sealed class CorpusVectorSearch(CorpusIndex index, IEmbeddingGenerator<string, Embedding<float>> encoder) : IVectorSearchable<Chunk>
{
    public async IAsyncEnumerable<VectorSearchResult<Chunk>> SearchAsync<TInput>(
        TInput searchValue, int top, VectorSearchOptions<Chunk>? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TInput : notnull
    {
        ReadOnlyMemory<float> query = searchValue switch
        {
            string text => (await encoder.GenerateAsync([text], null, cancellationToken))[0].Vector,
            ReadOnlyMemory<float> vector => vector,
            float[] vector => vector,
            Embedding<float> embedding => embedding.Vector,
            _ => throw new NotSupportedException($"search by {typeof(TInput).Name}: give a string, a float vector or an Embedding<float>"),
        };
        var vectors = index.Vectors();
        var hits = vectors.Nearest(query.Span, top + (options?.Skip ?? 0)).Skip(options?.Skip ?? 0).ToList();
        var chunks = index.Chunks(hits.Select(h => vectors.Id(h.Row))).ToDictionary(c => c.Id, StringComparer.Ordinal);
        foreach (var (row, score) in hits)
        {
            if (options?.ScoreThreshold is { } threshold && score < threshold)
            {
                yield break;
            }

            yield return new VectorSearchResult<Chunk>(chunks[vectors.Id(row)], score);
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(index) ? index : null;
}
