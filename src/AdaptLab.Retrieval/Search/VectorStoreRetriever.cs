using Microsoft.Extensions.VectorData;

namespace AdaptLab.Retrieval.Search;

/// <summary>
/// A retriever over any Microsoft.Extensions.VectorData collection (Qdrant, Azure AI Search, pgvector, or the
/// built-in <see cref="CorpusVectorSearch"/>): the collection embeds the query itself, as its connector is configured.
/// </summary>
/// <param name="toChunk">Maps the store's record type to a chunk (its key, source and text).</param>
/// <param name="name">Names the store in the variant's identity, e.g. <c>qdrant:docs</c>.</param>
public sealed class VectorStoreRetriever<TRecord>(IVectorSearchable<TRecord> collection, Func<TRecord, Chunk> toChunk, RetrieveOptions options, string name) : IRetriever
    where TRecord : class
{
    public string Identity { get; } = System.Text.Json.JsonSerializer.Serialize(new { store = name, k = options.K, budget = options.TokenBudget });

    public async Task<IReadOnlyList<RetrievedChunk>> RetrieveAsync(string query, CancellationToken cancellationToken = default)
    {
        var found = new List<RetrievedChunk>();
        await foreach (var result in collection.SearchAsync(query, options.K, null, cancellationToken))
        {
            found.Add(new RetrievedChunk(toChunk(result.Record), result.Score ?? 0, found.Count + 1));
        }

        return TokenBudget.Apply(found, options.TokenBudget);
    }
}
