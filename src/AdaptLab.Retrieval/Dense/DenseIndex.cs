using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace AdaptLab.Retrieval.Dense;

/// <summary>
/// Exact nearest-neighbour search by cosine similarity over the chunks' embeddings (any
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>; the engine's all-MiniLM-L6-v2 by default in the CLI).
/// One scan of every vector per query.
/// </summary>
public sealed class DenseIndex(IEmbeddingGenerator<string, Embedding<float>> encoder)
{
    private const int Batch = 256;
    private readonly List<string> ids = [];
    private readonly List<float[]> vectors = [];

    public async Task AddAsync(IEnumerable<Chunk> chunks, CancellationToken cancellationToken = default)
    {
        foreach (var batch in chunks.Chunk(Batch))
        {
            var embeddings = await encoder.GenerateAsync(batch.Select(c => c.Text), null, cancellationToken);
            ids.AddRange(batch.Select(c => c.Id));
            vectors.AddRange(embeddings.Select(e => e.Vector.ToArray()));
        }
    }

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(string query, int k, CancellationToken cancellationToken = default)
    {
        var q = (await encoder.GenerateAsync([query], null, cancellationToken))[0].Vector.ToArray();
        var scores = new float[vectors.Count];
        for (var i = 0; i < vectors.Count; i++)
        {
            scores[i] = TensorPrimitives.CosineSimilarity(q, vectors[i]);
        }

        // Ties go to the earlier chunk, so results never depend on sort stability.
        return [.. Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(k).Select(i => new SearchHit(ids[i], scores[i]))];
    }
}
