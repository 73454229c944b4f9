using AdaptLab.Retrieval;
using AdaptLab.Retrieval.Index;
using AdaptLab.Retrieval.Search;

namespace AdaptLab.Core.Variants;

/// <summary>
/// In place of the retriever where prompt lengths are only checked: the k longest chunks of the index (as many as
/// the token budget takes), the worst case, without embedding a query.
/// </summary>
internal sealed class LongestChunks(CorpusIndex index, RetrieveOptions options, TokenCounter? budgetCounter) : IRetriever
{
    private readonly Lazy<IReadOnlyList<RetrievedChunk>> longest = new(() =>
        TokenBudget.Apply(index.Longest(options.K).Select((c, i) => new RetrievedChunk(c, 0, i + 1)), options.TokenBudget, budgetCounter));

    public string Identity => "longest";

    public Task<IReadOnlyList<RetrievedChunk>> RetrieveAsync(string query, CancellationToken cancellationToken = default) => Task.FromResult(longest.Value);
}
