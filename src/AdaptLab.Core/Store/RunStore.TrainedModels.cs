namespace AdaptLab.Core.Store;

internal sealed partial class RunStore
{
    /// <summary>Stores a fine-tuned model's card under its identity; training into the same folder again replaces it.</summary>
    public void SaveTrainedModel(TrainedModelInfo model)
    {
        lock (gate)
        {
            Execute(connection, """
                INSERT INTO trained_models (identity, base_identity, path, task_path, variant, record, finished_at)
                VALUES ($identity, $base, $path, $task, $variant, $record, $finished)
                ON CONFLICT (identity) DO UPDATE SET base_identity = excluded.base_identity, path = excluded.path,
                    task_path = excluded.task_path, variant = excluded.variant, record = excluded.record, finished_at = excluded.finished_at
                """, null,
                ("$identity", model.Identity), ("$base", model.BaseIdentity), ("$path", model.Path), ("$task", model.TaskPath),
                ("$variant", model.Variant), ("$record", model.Record), ("$finished", Timestamp(model.FinishedAt)));
        }
    }

    /// <summary>The cards of the models fine-tuned into this store, newest first.</summary>
    public IReadOnlyList<TrainedModelInfo> GetTrainedModels() => Query(
        "SELECT identity, base_identity, path, task_path, variant, record, finished_at FROM trained_models ORDER BY finished_at DESC",
        r => new TrainedModelInfo(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), ParseTimestamp(r.GetString(6))));
}

/// <param name="Record">The card as JSON: training.json's content.</param>
internal sealed record TrainedModelInfo(string Identity, string BaseIdentity, string Path, string TaskPath, string Variant, string Record, DateTimeOffset FinishedAt);
