using System.Numerics.Tensors;
using AdaptLab.Core.Items;
using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Variants;

/// <summary>
/// The k train items whose inputs are closest to the item's by cosine similarity of sentence embeddings
/// (exact search). They are placed least similar first, so the closest example is the one just before the question.
/// </summary>
internal sealed class NearestShots(ShotPool pool, int k, IEmbeddingGenerator<string, Embedding<float>> encoder) : IShotSelector, IDisposable
{
    private const int Batch = 256;
    private readonly SemaphoreSlim gate = new(1, 1);
    private float[][]? poolVectors;

    public async Task<IReadOnlyList<DataItem>> SelectAsync(DataItem item, CancellationToken cancellationToken)
    {
        var vectors = await PoolVectorsAsync(cancellationToken);
        var query = (await encoder.GenerateAsync([item.Input], null, cancellationToken))[0].Vector;
        var similarity = new float[vectors.Length];
        for (var i = 0; i < vectors.Length; i++)
        {
            similarity[i] = TensorPrimitives.CosineSimilarity(query.Span, vectors[i]);
        }

        // Ties go to the earlier train item, so the choice never depends on sort stability.
        var nearest = Enumerable.Range(0, vectors.Length).OrderByDescending(i => similarity[i]).ThenBy(i => i).Take(k).Reverse();
        return [.. nearest.Select(i => pool.Items[i])];
    }

    public void Dispose() => gate.Dispose();

    private async Task<float[][]> PoolVectorsAsync(CancellationToken cancellationToken)
    {
        if (poolVectors is { } ready)
        {
            return ready;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            if (poolVectors is null)
            {
                var vectors = new List<float[]>(pool.Items.Count);
                foreach (var chunk in pool.Items.Chunk(Batch))
                {
                    var embeddings = await encoder.GenerateAsync(chunk.Select(i => i.Input), null, cancellationToken);
                    vectors.AddRange(embeddings.Select(e => e.Vector.ToArray()));
                }

                poolVectors = [.. vectors];
            }

            return poolVectors;
        }
        finally
        {
            gate.Release();
        }
    }
}
