namespace AdaptLab.Core.Store;

internal sealed partial class RunStore
{
    public void SaveJudgement(string runId, JudgementRecord j)
    {
        lock (gate)
        {
            Execute(connection, """
                INSERT OR REPLACE INTO judgements (run_id, judge, variant, item_index, repeat, value, error, reply, shown_second, judge_hash)
                VALUES ($run, $judge, $variant, $item, $repeat, $value, $error, $reply, $second, $hash)
                """, null,
                ("$run", runId), ("$judge", j.Judge), ("$variant", j.Variant), ("$item", j.ItemIndex), ("$repeat", j.Repeat), ("$value", j.Value),
                ("$error", j.Error), ("$reply", j.Reply), ("$second", j.ShownSecond is { } s ? (s ? 1 : 0) : null), ("$hash", j.JudgeHash));
        }
    }

    public IReadOnlyList<JudgementRecord> GetJudgements(string runId) => Query(
        "SELECT judge, variant, item_index, repeat, value, error, reply, shown_second, judge_hash FROM judgements WHERE run_id = $run ORDER BY judge, variant, item_index, repeat",
        r => new JudgementRecord(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetInt32(3), r.IsDBNull(4) ? null : r.GetDouble(4),
            r.IsDBNull(5) ? null : r.GetString(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetInt32(7) == 1, r.GetString(8)),
        ("$run", runId));

    /// <summary>Stores imported ratings in one transaction: a file is imported whole or not at all; a rating given again replaces the old.</summary>
    public void SaveHumanRatings(string runId, IReadOnlyList<HumanRating> ratings)
    {
        lock (gate)
        {
            using var tx = connection.BeginTransaction();
            foreach (var r in ratings)
            {
                Execute(connection, """
                    INSERT OR REPLACE INTO human_ratings (run_id, variant, item_index, rater, rating, note, source)
                    VALUES ($run, $variant, $item, $rater, $rating, $note, $source)
                    """, tx,
                    ("$run", runId), ("$variant", r.Variant), ("$item", r.ItemIndex), ("$rater", r.Rater), ("$rating", r.Rating), ("$note", r.Note), ("$source", r.Source));
            }

            tx.Commit();
        }
    }

    public IReadOnlyList<HumanRating> GetHumanRatings(string runId) => Query(
        "SELECT variant, item_index, rater, rating, note, source FROM human_ratings WHERE run_id = $run ORDER BY variant, item_index, rater",
        r => new HumanRating(r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetDouble(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetString(5)),
        ("$run", runId));
}

/// <param name="Value">The verdict (a score, or 1 / 0.5 / 0 for a pairwise win, tie, loss); null when the reply could not be read.</param>
/// <param name="Error">Why the reply could not be read.</param>
/// <param name="ShownSecond">Pairwise: whether the variant's output was shown as B.</param>
/// <param name="JudgeHash">The judge's rubric, model and scale: a changed judge is judged afresh.</param>
internal sealed record JudgementRecord(string Judge, string Variant, int ItemIndex, int Repeat, double? Value, string? Error, string Reply, bool? ShownSecond, string JudgeHash);

/// <param name="Source">The file (and line) it was imported from.</param>
internal sealed record HumanRating(string Variant, int ItemIndex, string Rater, double Rating, string? Note, string Source);
