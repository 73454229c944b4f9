namespace AdaptLab.Retrieval.Search;

/// <summary>
/// Reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009): a chunk's score is the sum over the rankings that
/// hold it of 1 / (k + rank), rank counted from 1, with k = 60 as in the paper. Ties go to the chunk ranked first in
/// the first ranking.
/// </summary>
public static class ReciprocalRankFusion
{
    public const int DefaultK = 60;

    public static IReadOnlyList<SearchHit> Fuse(IReadOnlyList<IReadOnlyList<SearchHit>> rankings, int top, int k = DefaultK)
    {
        var scores = new Dictionary<string, (double Score, int FirstSeen)>(StringComparer.Ordinal);
        var order = 0;
        foreach (var ranking in rankings)
        {
            for (var rank = 0; rank < ranking.Count; rank++)
            {
                var id = ranking[rank].ChunkId;
                var (score, first) = scores.GetValueOrDefault(id, (0, order++));
                scores[id] = (score + (1.0 / (k + rank + 1)), first);
            }
        }

        return [.. scores.OrderByDescending(s => s.Value.Score).ThenBy(s => s.Value.FirstSeen).Take(top).Select(s => new SearchHit(s.Key, s.Value.Score))];
    }
}
