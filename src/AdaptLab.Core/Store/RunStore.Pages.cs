using AdaptLab.Core.Items;
using AdaptLab.Core.Secrets;

namespace AdaptLab.Core.Store;

/// <remarks>
/// A run is read a page at a time wherever it is walked through whole (asking, scoring), so memory stays flat in
/// its items: each page is one short query (keyset on the item index), and the store's lock is free between pages
/// for the writer.
/// </remarks>
internal sealed partial class RunStore
{
    /// <summary>The items of a run that <paramref name="variant"/> has no answer for yet, in item order; the next page is read while this one is asked.</summary>
    internal IEnumerable<DataItem> PendingItems(string runId, string variant, int pageSize = 1024) => Pages(
        $"""
        SELECT {ItemColumns} FROM items i
        WHERE i.run_id = $run AND i.item_index > $after AND NOT EXISTS (
            SELECT 1 FROM predictions p
            WHERE p.run_id = i.run_id AND p.variant = $variant AND p.item_index = i.item_index AND p.error IS NULL)
        ORDER BY i.item_index LIMIT $limit
        """,
        r => ReadItem(r), item => item.Index, pageSize, ("$run", runId), ("$variant", variant)).Ahead(1).SelectMany(page => page);

    /// <summary>The items <paramref name="variant"/> answered, each with its prediction, in item order, a page at a time.</summary>
    internal IEnumerable<IReadOnlyList<(DataItem Item, PredictionRecord Prediction)>> AnsweredPages(string runId, string variant, int pageSize)
    {
        var redactor = SecretRedactor.FromEnvironment();
        return Pages(
            $"""
            SELECT {ItemColumns}, {PredictionColumns} FROM predictions p JOIN items i ON i.run_id = p.run_id AND i.item_index = p.item_index
            WHERE p.run_id = $run AND p.variant = $variant AND p.output IS NOT NULL AND p.item_index > $after
            ORDER BY p.item_index LIMIT $limit
            """,
            r => (ReadItem(r), ReadPrediction(r, 6, redactor)), pair => pair.Item1.Index, pageSize, ("$run", runId), ("$variant", variant));
    }

    /// <summary>How many items each variant of a run has a prediction for, and how many of those failed.</summary>
    internal IReadOnlyDictionary<string, (int Predictions, int Errors)> PredictionCounts(string runId) => Query(
        "SELECT variant, COUNT(*), SUM(error IS NOT NULL) FROM predictions WHERE run_id = $run GROUP BY variant",
        r => (Variant: r.GetString(0), Counts: (r.GetInt32(1), r.GetInt32(2))), ("$run", runId)).ToDictionary(v => v.Variant, v => v.Counts);

    /// <summary>Whether a variant was scored: it has a metric result.</summary>
    internal bool IsScored(string runId, string variant) => Query(
        "SELECT 1 FROM metric_results WHERE run_id = $run AND variant = $variant LIMIT 1", r => true, ("$run", runId), ("$variant", variant)).Count > 0;

    private IEnumerable<IReadOnlyList<T>> Pages<T>(
        string sql, Func<Microsoft.Data.Sqlite.SqliteDataReader, T> read, Func<T, int> index, int pageSize, params (string Name, object? Value)[] parameters)
    {
        var after = -1;
        while (true)
        {
            var page = Query(sql, read, [.. parameters, ("$after", after), ("$limit", pageSize)]);
            if (page.Count > 0)
            {
                yield return page;
            }

            if (page.Count < pageSize)
            {
                yield break;
            }

            after = index(page[^1]);
        }
    }
}
