namespace AdaptLab.Retrieval.Search;

/// <summary>A context step's source of chunks: the built-in corpus index, or any vector store.</summary>
public interface IRetriever
{
    /// <summary>What decides the results (method, settings, index version): part of the variant's identity.</summary>
    string Identity { get; }

    Task<IReadOnlyList<RetrievedChunk>> RetrieveAsync(string query, CancellationToken cancellationToken = default);
}
