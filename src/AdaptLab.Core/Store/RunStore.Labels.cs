namespace AdaptLab.Core.Store;

internal sealed partial class RunStore
{
    /// <summary>Points the task's label at a run (promotion) and returns the new row.</summary>
    public LabelEntry SetLabel(string taskName, string label, string runId, string snapshot, string actor, string? reason) =>
        AddLabel(taskName, label, runId, snapshot, "promote", CurrentLabel(taskName, label)?.Id, actor, reason);

    /// <summary>Points the label back at the run it named before its current promotion.</summary>
    /// <exception cref="InvalidOperationException">The label has no earlier value to go back to.</exception>
    public LabelEntry RollBackLabel(string taskName, string label, string actor, string? reason)
    {
        var current = CurrentLabel(taskName, label) ?? throw new InvalidOperationException($"task '{taskName}' has no label '{label}'");
        var replaced = current.Previous is { } previous ? LabelHistory(taskName, label).Single(e => e.Id == previous) : null;
        if (replaced is null)
        {
            throw new InvalidOperationException($"label '{label}' of task '{taskName}' has no earlier run to roll back to (it was first set {current.At:yyyy-MM-dd HH:mm} UTC)");
        }

        return AddLabel(taskName, label, replaced.RunId, replaced.Snapshot, "rollback", replaced.Previous, actor, reason);
    }

    public LabelEntry? CurrentLabel(string taskName, string label) => Query(
        LabelSelect + " WHERE task_name = $task AND label = $label ORDER BY id DESC LIMIT 1", ReadLabel, ("$task", taskName), ("$label", label)).FirstOrDefault();

    /// <summary>Every promotion and rollback of the label, newest first.</summary>
    public IReadOnlyList<LabelEntry> LabelHistory(string taskName, string label) => Query(
        LabelSelect + " WHERE task_name = $task AND label = $label ORDER BY id DESC", ReadLabel, ("$task", taskName), ("$label", label));

    /// <summary>Every label change in the store (of one task, when given), newest first.</summary>
    public IReadOnlyList<LabelEntry> Labels(string? taskName = null) => taskName is null
        ? Query(LabelSelect + " ORDER BY id DESC", ReadLabel)
        : Query(LabelSelect + " WHERE task_name = $task ORDER BY id DESC", ReadLabel, ("$task", taskName));

    private LabelEntry AddLabel(string taskName, string label, string runId, string snapshot, string action, long? previous, string actor, string? reason)
    {
        lock (gate)
        {
            Execute(connection, """
                INSERT INTO labels (task_name, label, run_id, snapshot, action, previous, actor, reason, at)
                VALUES ($task, $label, $run, $snapshot, $action, $previous, $actor, $reason, $at)
                """, null,
                ("$task", taskName), ("$label", label), ("$run", runId), ("$snapshot", snapshot), ("$action", action), ("$previous", previous),
                ("$actor", actor), ("$reason", reason), ("$at", Timestamp(DateTimeOffset.UtcNow)));
        }

        return CurrentLabel(taskName, label)!;
    }

    private const string LabelSelect = "SELECT id, task_name, label, run_id, snapshot, action, previous, actor, reason, at FROM labels";

    private static LabelEntry ReadLabel(Microsoft.Data.Sqlite.SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.IsDBNull(6) ? null : r.GetInt64(6),
        r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8), ParseTimestamp(r.GetString(9)));
}

/// <summary>One promotion or rollback of a label.</summary>
/// <param name="Snapshot">The run's variants as JSON: each prompt version (hash), model reference and identity the label now means.</param>
/// <param name="Previous">The row this one replaced, which a rollback returns to.</param>
internal sealed record LabelEntry(long Id, string TaskName, string Label, string RunId, string Snapshot, string Action, long? Previous, string Actor, string? Reason, DateTimeOffset At);
