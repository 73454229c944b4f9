using AdaptLab.Core.Items;
using System.Globalization;
using System.Text.Json;
using AdaptLab.Core.Secrets;
using Microsoft.Data.Sqlite;

namespace AdaptLab.Core.Store;

internal sealed partial class RunStore
{
    private const string RunColumns =
        "id, task_name, task_path, task_hash, task_text, dataset_path, dataset_hash, item_count, sample_seed, config, status, started_at, finished_at";

    private static readonly string RunningRun = StoredStatus<RunStatus>.TextOf(RunStatus.Running);

    public IReadOnlyList<RunInfo> ListRuns(int limit = 50) =>
        Query($"SELECT {RunColumns} FROM runs ORDER BY started_at DESC, id DESC LIMIT $limit", ReadRun, ("$limit", limit));

    /// <summary>A run by id, by unique id prefix, or <c>latest</c>.</summary>
    public RunInfo? FindRun(string idOrPrefix)
    {
        if (idOrPrefix == "latest")
        {
            return ListRuns(1).FirstOrDefault();
        }

        var matches = Query($"SELECT {RunColumns} FROM runs WHERE id = $id OR id LIKE $prefix ESCAPE '\\' ORDER BY id LIMIT 2", ReadRun,
            ("$id", idOrPrefix), ("$prefix", idOrPrefix.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%"));
        return matches.FirstOrDefault(r => r.Id == idOrPrefix) ?? (matches.Count == 1 ? matches[0] : null);
    }

    /// <summary>The newest unfinished run of a task file, for <c>eval --resume</c>.</summary>
    public RunInfo? FindUnfinishedRun(string taskPath) =>
        Query($"SELECT {RunColumns} FROM runs WHERE task_path = $path AND status = $running ORDER BY started_at DESC LIMIT 1",
            ReadRun, ("$path", taskPath), ("$running", RunningRun)).FirstOrDefault();

    public IReadOnlyList<VariantInfo> GetVariants(string runId) => Query("""
        SELECT v.name, v.ordinal, v.prompt_hash, v.prompt_path, p.text, v.system_prompt, v.model_name, v.model_ref, v.parameters,
               v.pipeline, v.identity
        FROM variants v JOIN prompts p ON p.hash = v.prompt_hash
        WHERE v.run_id = $run ORDER BY v.ordinal
        """,
        r => new VariantInfo(r.GetString(0), r.GetInt32(1), r.GetString(2), r.GetString(3), r.GetString(4),
            r.IsDBNull(5) ? null : r.GetString(5), r.GetString(6), r.GetString(7), r.GetString(8))
        {
            Pipeline = r.IsDBNull(9) ? null : r.GetString(9),
            Identity = r.IsDBNull(10) ? null : r.GetString(10),
        },
        ("$run", runId));

    /// <summary>Every use of every prompt version: the variant that used it, in which run, oldest first.</summary>
    public IReadOnlyList<PromptUse> GetPromptUses() => Query("""
        SELECT p.hash, p.text, v.prompt_path, v.run_id, v.name, r.task_name, r.started_at, p.parent
        FROM variants v JOIN prompts p ON p.hash = v.prompt_hash JOIN runs r ON r.id = v.run_id
        ORDER BY r.started_at, r.id, v.ordinal
        """,
        r => new PromptUse(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
            ParseTimestamp(r.GetString(6)), r.IsDBNull(7) ? null : r.GetString(7)));

    public IReadOnlyList<DataItem> GetItems(string runId) => Query(
        $"SELECT {ItemColumns} FROM items i WHERE run_id = $run ORDER BY item_index", r => ReadItem(r), ("$run", runId));

    /// <remarks>Errors and reasons are redacted again on the way out: a run stored before a key was known still never shows it.</remarks>
    public IReadOnlyList<PredictionRecord> GetPredictions(string runId)
    {
        var redactor = SecretRedactor.FromEnvironment();
        return Query($"SELECT {PredictionColumns} FROM predictions p WHERE run_id = $run ORDER BY variant, item_index",
            r => ReadPrediction(r, 0, redactor), ("$run", runId));
    }

    public IReadOnlyList<ScoreRecord> GetScores(string runId)
    {
        var redactor = SecretRedactor.FromEnvironment();
        return Query(
            "SELECT variant, metric, item_index, value, reason FROM scores WHERE run_id = $run ORDER BY variant, metric, item_index",
            r => new ScoreRecord(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetDouble(3), redactor.Redact(r.IsDBNull(4) ? null : r.GetString(4))),
            ("$run", runId));
    }

    public IReadOnlyList<MetricResult> GetMetricResults(string runId) => Query(
        "SELECT variant, metric, value, lower, upper, method, n, caution FROM metric_results WHERE run_id = $run",
        r => new MetricResult(r.GetString(0), r.GetString(1), r.GetDouble(2), r.IsDBNull(3) ? null : r.GetDouble(3),
            r.IsDBNull(4) ? null : r.GetDouble(4), r.IsDBNull(5) ? null : r.GetString(5), r.GetInt32(6), r.IsDBNull(7) ? null : r.GetString(7)),
        ("$run", runId));

    private const string ItemColumns = "i.item_index, i.item_id, i.input, i.expected, i.fields, i.location";

    private const string PredictionColumns =
        "p.variant, p.item_index, p.output, p.error, p.latency_ms, p.input_tokens, p.output_tokens, p.cost, p.cached, p.context";

    private static DataItem ReadItem(SqliteDataReader r, int at = 0)
    {
        var input = r.GetString(at + 2);
        var expected = JsonSerializer.Deserialize<List<string>>(r.GetString(at + 3))!;
        var (fields, structured) = StoredFields.Read(r.GetString(at + 4), input, expected);
        return new DataItem(r.GetInt32(at), r.GetString(at + 1), input, expected, fields, r.GetString(at + 5)) { Structured = structured };
    }

    private static PredictionRecord ReadPrediction(SqliteDataReader r, int at, SecretRedactor redactor) => new(
        r.GetString(at), r.GetInt32(at + 1), r.IsDBNull(at + 2) ? null : r.GetString(at + 2),
        redactor.Redact(r.IsDBNull(at + 3) ? null : r.GetString(at + 3)), r.GetDouble(at + 4), r.IsDBNull(at + 5) ? null : r.GetInt64(at + 5),
        r.IsDBNull(at + 6) ? null : r.GetInt64(at + 6), r.IsDBNull(at + 7) ? null : r.GetDouble(at + 7), r.GetInt32(at + 8) == 1,
        r.IsDBNull(at + 9) ? null : r.GetString(at + 9));

    private static RunInfo ReadRun(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
        r.GetInt32(7), r.IsDBNull(8) ? null : r.GetInt32(8), JsonSerializer.Deserialize<RunConfig>(r.GetString(9))!, StoredStatus<RunStatus>.Parse(r.GetString(10)),
        ParseTimestamp(r.GetString(11)), r.IsDBNull(12) ? null : ParseTimestamp(r.GetString(12)));

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        lock (gate)
        {
            using var command = Command(connection, sql, null);
            Bind(command, parameters);
            using var reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read())
            {
                rows.Add(read(reader));
            }

            return rows;
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? tx)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        return command;
    }

    private static void Bind(SqliteCommand command, params (string Name, object? Value)[] parameters)
    {
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, tx);
        Bind(command, parameters);
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, null);
        Bind(command, parameters);
        return command.ExecuteScalar();
    }

    private static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTimestamp(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
