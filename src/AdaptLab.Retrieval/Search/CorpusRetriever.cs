using System.Numerics.Tensors;
using System.Text.Json;
using AdaptLab.Retrieval.Index;
using Microsoft.Extensions.AI;

namespace AdaptLab.Retrieval.Search;

/// <summary>Search over the built-in <see cref="CorpusIndex"/>: BM25, dense exact search, or their fusion; optional MMR and a token budget.</summary>
public sealed class CorpusRetriever : IRetriever
{
    private readonly CorpusIndex index;
    private readonly IEmbeddingGenerator<string, Embedding<float>>? encoder;
    private readonly RetrieveOptions options;
    private readonly TokenCounter? budgetCounter;

    /// <param name="encoder">The model the index's vectors were made with; required unless the mode is BM25 without MMR.</param>
    /// <param name="budgetCounter">Counts the token budget in the model's own tokens; null: in o200k_base's.</param>
    public CorpusRetriever(CorpusIndex index, IEmbeddingGenerator<string, Embedding<float>>? encoder, RetrieveOptions options, TokenCounter? budgetCounter = null)
    {
        if (options.NeedsVectors && (encoder is null || index.VectorCount == 0))
        {
            throw new InvalidOperationException($"{options.Mode.ToString().ToLowerInvariant()} search needs the corpus embedded: ingest it with an encoder first");
        }

        this.index = index;
        this.encoder = encoder;
        this.options = options;
        this.budgetCounter = budgetCounter;
        var identity = JsonSerializer.SerializeToNode(new
        {
            mode = options.Mode.ToString().ToLowerInvariant(),
            k = options.K,
            candidates = options.Candidates,
            mmr = options.MmrLambda,
            budget = options.TokenBudget,
            index = index.Version,
            encoder = options.NeedsVectors ? index.Encoder : null,
        })!.AsObject();
        if (options.TokenBudget is not null && budgetCounter is not null)
        {
            identity["budget_tokens"] = budgetCounter.Name;
        }

        Identity = identity.ToJsonString();
    }

    public string Identity { get; }

    public async Task<IReadOnlyList<RetrievedChunk>> RetrieveAsync(string query, CancellationToken cancellationToken = default)
    {
        var vectors = options.NeedsVectors ? index.Vectors() : null;
        var q = encoder is not null && options.NeedsVectors
            ? VectorMatrix.Normalized((await encoder.GenerateAsync([query], null, cancellationToken))[0].Vector.Span)
            : null;
        IReadOnlyList<SearchHit> Dense() => [.. vectors!.Nearest(q, options.Candidates).Select(h => new SearchHit(vectors.Id(h.Row), h.Score))];
        var ranking = options.Mode switch
        {
            RetrievalMode.Bm25 => index.Lexical(query, options.Candidates),
            RetrievalMode.Dense => Dense(),
            _ => ReciprocalRankFusion.Fuse([index.Lexical(query, options.Candidates), Dense()], options.Candidates),
        };
        if (options.MmrLambda is { } lambda)
        {
            ranking = Mmr(ranking, vectors!, q!, lambda);
        }

        var chosen = ranking.Take(options.K).ToList();
        var chunks = index.Chunks(chosen.Select(h => h.ChunkId)).ToDictionary(c => c.Id, StringComparer.Ordinal);
        return TokenBudget.Apply(chosen.Where(h => chunks.ContainsKey(h.ChunkId)).Select((h, i) => new RetrievedChunk(chunks[h.ChunkId], h.Score, i + 1)), options.TokenBudget, budgetCounter);
    }

    /// <summary>Greedy MMR over the candidates: relevance is the cosine to the query, redundancy the highest cosine to a chunk already chosen.</summary>
    private IReadOnlyList<SearchHit> Mmr(IReadOnlyList<SearchHit> candidates, VectorMatrix vectors, float[] query, double lambda)
    {
        var pool = candidates.Where(c => vectors.RowOf(c.ChunkId) >= 0).ToList();
        var chosen = new List<SearchHit>();
        while (chosen.Count < options.K && pool.Count > 0)
        {
            var best = pool.MaxBy(c =>
            {
                var row = vectors.RowOf(c.ChunkId);
                var redundancy = chosen.Count == 0 ? 0 : chosen.Max(s => TensorPrimitives.Dot(vectors.Row(row), vectors.Row(vectors.RowOf(s.ChunkId))));
                return (lambda * TensorPrimitives.Dot(vectors.Row(row), query)) - ((1 - lambda) * redundancy);
            })!;
            chosen.Add(best);
            pool.Remove(best);
        }

        return chosen;
    }
}
