namespace AdaptLab.Core.Store;

internal sealed partial class RunStore
{
    public void CreateStudy(StudyInfo study, IReadOnlyList<StudyRung> rungs)
    {
        lock (gate)
        {
            using var tx = connection.BeginTransaction();
            Execute(connection, """
                INSERT INTO studies (id, task_path, task_name, run_id, climb_all, settings, status, started_at)
                VALUES ($id, $task, $name, $run, $all, $settings, $status, $at)
                """, tx,
                ("$id", study.Id), ("$status", StoredStatus<StudyStatus>.TextOf(StudyStatus.Running)), ("$task", study.TaskPath), ("$name", study.TaskName), ("$run", study.RunId), ("$all", study.ClimbAll ? 1 : 0),
                ("$settings", study.Settings), ("$at", Timestamp(study.StartedAt)));
            foreach (var rung in rungs)
            {
                SaveRung(study.Id, rung, tx);
            }

            tx.Commit();
        }
    }

    public void SaveStudyRung(string studyId, StudyRung rung)
    {
        lock (gate)
        {
            SaveRung(studyId, rung, null);
        }
    }

    private void SaveRung(string studyId, StudyRung rung, Microsoft.Data.Sqlite.SqliteTransaction? tx) =>
        Execute(connection, """
            INSERT INTO study_rungs (study_id, ordinal, rung, source_variant, status, reason, training)
            VALUES ($study, $ordinal, $rung, $source, $status, $reason, $training)
            ON CONFLICT (study_id, rung) DO UPDATE SET status = excluded.status, reason = excluded.reason, training = excluded.training
            """, tx,
            ("$study", studyId), ("$ordinal", rung.Ordinal), ("$rung", rung.Rung), ("$source", rung.SourceVariant), ("$status", rung.Status.Text),
            ("$reason", rung.Skip?.Text), ("$training", rung.Training));

    /// <summary>The training data's readiness (as JSON), once the climb has checked it.</summary>
    public void SetStudyReadiness(string studyId, string readiness)
    {
        lock (gate)
        {
            Execute(connection, "UPDATE studies SET readiness = $readiness WHERE id = $id", null, ("$id", studyId), ("$readiness", readiness));
        }
    }

    /// <summary>Ends the climb: the variants never climbed leave the run (with nothing stored for them), the recommendation is frozen.</summary>
    public void FinishStudy(string studyId, string runId, IReadOnlyList<string> unusedVariants, string recommendation)
    {
        lock (gate)
        {
            using var tx = connection.BeginTransaction();
            foreach (var variant in unusedVariants)
            {
                Execute(connection, "DELETE FROM variants WHERE run_id = $run AND name = $name", tx, ("$run", runId), ("$name", variant));
            }

            Execute(connection, "UPDATE studies SET status = $status, recommendation = $rec, finished_at = $at WHERE id = $id", tx,
                ("$id", studyId), ("$status", CompletedStudy), ("$rec", recommendation), ("$at", Timestamp(DateTimeOffset.UtcNow)));
            tx.Commit();
        }
    }

    /// <summary>A study by id, by unique id prefix, or "latest".</summary>
    public StudyInfo? FindStudy(string idOrPrefix) => idOrPrefix == "latest"
        ? Query(StudySelect + " ORDER BY started_at DESC, rowid DESC LIMIT 1", ReadStudy).FirstOrDefault()
        : Query(StudySelect + " WHERE id LIKE $prefix ESCAPE '\\' ORDER BY started_at DESC", ReadStudy,
            ("$prefix", idOrPrefix.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%")) is [var only] ? only : null;

    /// <summary>The newest study of the task file that did not finish, which <c>run --resume</c> continues.</summary>
    public StudyInfo? FindUnfinishedStudy(string taskPath) =>
        Query(StudySelect + " WHERE task_path = $task AND status <> $completed ORDER BY started_at DESC, rowid DESC LIMIT 1", ReadStudy,
            ("$task", taskPath), ("$completed", CompletedStudy)).FirstOrDefault();

    private static readonly string CompletedStudy = StoredStatus<StudyStatus>.TextOf(StudyStatus.Completed);

    public IReadOnlyList<StudyInfo> ListStudies(int limit = 50) =>
        Query(StudySelect + " ORDER BY started_at DESC, rowid DESC LIMIT $limit", ReadStudy, ("$limit", limit));

    public IReadOnlyList<StudyRung> GetStudyRungs(string studyId) => Query(
        "SELECT ordinal, rung, source_variant, status, reason, training FROM study_rungs WHERE study_id = $id ORDER BY ordinal",
        r => new StudyRung(r.GetInt32(0), r.GetString(1), r.GetString(2), StoredStatus<RungStatus>.Parse(r.GetString(3)), r.IsDBNull(4) ? null : SkipReasonColumn.Parse(r.GetString(4)), r.IsDBNull(5) ? null : r.GetString(5)),
        ("$id", studyId));

    private const string StudySelect =
        "SELECT id, task_path, task_name, run_id, climb_all, settings, status, recommendation, started_at, finished_at, readiness FROM studies";

    private static StudyInfo ReadStudy(Microsoft.Data.Sqlite.SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4) == 1, r.GetString(5), ParseTimestamp(r.GetString(8)))
    {
        Status = StoredStatus<StudyStatus>.Parse(r.GetString(6)),
        Recommendation = r.IsDBNull(7) ? null : r.GetString(7),
        FinishedAt = r.IsDBNull(9) ? null : ParseTimestamp(r.GetString(9)),
        Readiness = r.IsDBNull(10) ? null : r.GetString(10),
    };
}

/// <summary>One climb of the ladder over one run.</summary>
/// <param name="ClimbAll">Every rung was to be measured (<c>--all</c>), not only up to the first that meets the targets.</param>
/// <param name="Settings">The ladder section's prices and probe settings as JSON, frozen when the study started.</param>
internal sealed record StudyInfo(string Id, string TaskPath, string TaskName, string RunId, bool ClimbAll, string Settings, DateTimeOffset StartedAt)
{
    /// <summary>The training data's verdict and blockers as JSON; null when no fine-tuned rung was considered.</summary>
    public string? Readiness { get; init; }

    /// <summary>Running until the climb ends; a status another version wrote is kept as its text.</summary>
    public StoredStatus<StudyStatus> Status { get; init; } = StudyStatus.Running;

    /// <summary>The recommendation as JSON, frozen when the climb ended; null before.</summary>
    public string? Recommendation { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public bool IsCompleted => Status.Known is StudyStatus.Completed;
}

/// <param name="Rung">The rung's name, which is also its variant's name in the study's run.</param>
/// <param name="SourceVariant">The task file's variant the rung was made from.</param>
/// <param name="Status">Planned, measured or skipped; a status another version wrote is kept as its text.</param>
/// <param name="Skip">Why a rung was skipped.</param>
/// <param name="Training">A fine-tuned rung's training record (training.json) once trained.</param>
internal sealed record StudyRung(int Ordinal, string Rung, string SourceVariant, StoredStatus<RungStatus> Status, RungSkip? Skip, string? Training);
