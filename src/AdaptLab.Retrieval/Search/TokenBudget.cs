namespace AdaptLab.Retrieval.Search;

public static class TokenBudget
{
    /// <summary>The chunks in rank order while their tokens fit <paramref name="budget"/>, ranked again from 1.</summary>
    /// <param name="counter">Counts in the model's own tokens; without it, in the o200k_base tokens the index stores.</param>
    public static IReadOnlyList<RetrievedChunk> Apply(IEnumerable<RetrievedChunk> ranked, int? budget, TokenCounter? counter = null)
    {
        var kept = new List<RetrievedChunk>();
        var used = 0;
        foreach (var hit in ranked)
        {
            var tokens = budget is null ? 0
                : counter is not null ? counter.Count(hit.Chunk.Text)
                : hit.Chunk.Tokens > 0 ? hit.Chunk.Tokens : Ingest.TokenChunker.Count(hit.Chunk.Text);
            if (budget is { } limit && used + tokens > limit)
            {
                break;
            }

            used += tokens;
            kept.Add(hit with { Rank = kept.Count + 1 });
        }

        return kept;
    }
}
