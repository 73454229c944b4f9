namespace AdaptLab.Retrieval.Search;

/// <summary>How a retriever picks the chunks for one query.</summary>
/// <param name="K">The most chunks to return.</param>
/// <param name="Candidates">Chunks each ranking contributes before fusion and MMR.</param>
/// <param name="MmrLambda">Maximal marginal relevance (Carbonell and Goldstein, 1998) when set: 1 ranks by relevance alone, lower values trade relevance for chunks unlike those already chosen.</param>
/// <param name="TokenBudget">The most chunk tokens (o200k_base) in the context: chunks are taken in rank order while they fit.</param>
public sealed record RetrieveOptions(RetrievalMode Mode = RetrievalMode.Hybrid, int K = 5, int Candidates = 50, double? MmrLambda = null, int? TokenBudget = null)
{
    public bool NeedsVectors => Mode != RetrievalMode.Bm25 || MmrLambda is not null;
}

public enum RetrievalMode
{
    /// <summary>BM25 and dense rankings fused by reciprocal rank.</summary>
    Hybrid,
    Bm25,
    Dense,
}
