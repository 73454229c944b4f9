using System.Globalization;
using System.Text.Json;
using AdaptLab.Core.Items;
using AdaptLab.Core.Secrets;
using Microsoft.Data.Sqlite;
using AdaptLab.Core.Tasks;

namespace AdaptLab.Core.Store;

/// <summary>
/// Everything a run produces, in one SQLite file (WAL). Predictions are written in small
/// transactions as they arrive, so a killed run loses at most the calls in flight and resumes
/// from the rest; primary keys make a prediction impossible to store twice.
/// </summary>
internal sealed partial class RunStore : IDisposable
{
    private readonly SqliteConnection connection;
    private readonly Lock gate = new();
    private bool disposed;

    private RunStore(SqliteConnection connection, string path)
    {
        this.connection = connection;
        Path = path;
    }

    public string Path { get; }

    /// <summary>The store every command and the C# API open unless told otherwise: <c>$ADAPTLAB_STORE</c>, else
    /// <c>.adaptlab/adaptlab.db</c> under the current directory.</summary>
    public static string DefaultPath => Environment.GetEnvironmentVariable("ADAPTLAB_STORE") ?? System.IO.Path.Combine(".adaptlab", "adaptlab.db");

    /// <exception cref="InputException">The path cannot hold a store (a directory, an unwritable place, not a SQLite file); names it.</exception>
    public static RunStore Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new InputException(full, null, null, "cannot open the run store: this is a directory; give a file path such as runs.db (--store)");
        }

        SqliteConnection? connection = null;
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Pooling = false }.ToString());
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;");
            Migrate(connection);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SqliteException)
        {
            connection?.Dispose();
            throw new InputException(full, null, null, $"cannot open the run store (--store): {e.Message}");
        }
        catch
        {
            connection?.Dispose();
            throw;
        }

        return new RunStore(connection, full);
    }

    /// <remarks>Cached answers still pending are written first; a store that can no longer be written only loses those.</remarks>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            try
            {
                using var tx = connection.BeginTransaction();
                FlushCached(tx);
                tx.Commit();
            }
            catch (SqliteException)
            {
            }
            finally
            {
                connection.Dispose();
            }
        }
    }

    /// <remarks>
    /// One write transaction (BEGIN IMMEDIATE) reads the version and applies what is missing, so two processes opening a
    /// new store at once take turns: the second finds the tables made (it failed with "table runs already exists").
    /// </remarks>
    private static void Migrate(SqliteConnection connection)
    {
        using var tx = connection.BeginTransaction(deferred: false);
        using (var read = Command(connection, "PRAGMA user_version;", tx))
        {
            var version = Convert.ToInt32(read.ExecuteScalar(), CultureInfo.InvariantCulture);
            if (version > Migrations.Scripts.Count)
            {
                throw new InvalidOperationException(
                    $"the run store was written by a newer AdaptLab (schema {version}, this one knows {Migrations.Scripts.Count}); upgrade adaptlab");
            }

            for (var v = version; v < Migrations.Scripts.Count; v++)
            {
                Execute(connection, Migrations.Scripts[v], tx);
                Execute(connection, $"PRAGMA user_version = {v + 1};", tx);
            }
        }

        tx.Commit();
    }

    /// <summary>
    /// Stores a new run, its variants and its items in one transaction, reading the items as they are stored: an item
    /// that cannot be read, or a <paramref name="complete"/> that fails, leaves nothing behind.
    /// </summary>
    /// <param name="complete">Runs after the last item, before the commit: checks the run, with its item count, and gives
    /// it back with what the items decided (the labels gathered from them), which is stored.</param>
    /// <returns>The run as stored.</returns>
    internal RunInfo CreateRun(RunInfo run, IReadOnlyList<VariantInfo> variants, IEnumerable<DataItem> items, Func<RunInfo, RunInfo>? complete = null)
    {
        lock (gate)
        {
            using var tx = connection.BeginTransaction();
            Execute(connection, """
                INSERT INTO runs (id, task_name, task_path, task_hash, task_text, dataset_path, dataset_hash,
                                  item_count, sample_seed, config, status, started_at)
                VALUES ($id, $task_name, $task_path, $task_hash, $task_text, $dataset_path, $dataset_hash,
                        $item_count, $sample_seed, $config, $status, $started_at)
                """, tx,
                ("$id", run.Id), ("$task_name", run.TaskName), ("$task_path", run.TaskPath), ("$task_hash", run.TaskHash),
                ("$task_text", run.TaskText), ("$dataset_path", run.DatasetPath), ("$dataset_hash", run.DatasetHash),
                ("$item_count", run.ItemCount), ("$sample_seed", run.SampleSeed), ("$config", JsonSerializer.Serialize(run.Config)), ("$status", RunningRun), ("$started_at", Timestamp(run.StartedAt)));

            foreach (var v in variants)
            {
                Execute(connection, "INSERT OR IGNORE INTO prompts (hash, text) VALUES ($hash, $text)", tx,
                    ("$hash", v.PromptHash), ("$text", v.PromptText));
                Execute(connection, """
                    INSERT INTO variants (run_id, name, ordinal, prompt_hash, prompt_path, system_prompt, model_name, model_ref, parameters, pipeline, identity)
                    VALUES ($run, $name, $ordinal, $prompt_hash, $prompt_path, $system, $model_name, $model_ref, $parameters, $pipeline, $identity)
                    """, tx,
                    ("$run", run.Id), ("$name", v.Name), ("$ordinal", v.Ordinal), ("$prompt_hash", v.PromptHash),
                    ("$prompt_path", v.PromptPath), ("$system", v.SystemPrompt), ("$model_name", v.ModelName),
                    ("$model_ref", v.ModelRef), ("$parameters", v.Parameters), ("$pipeline", v.Pipeline), ("$identity", v.Identity));
            }

            using var insert = new RowCommand(connection, tx, """
                INSERT INTO items (run_id, item_index, item_id, input, expected, fields, location)
                VALUES ($run, $index, $id, $input, $expected, $fields, $location)
                """, "$run", "$index", "$id", "$input", "$expected", "$fields", "$location");
            var count = 0;
            foreach (var item in items)
            {
                insert.Run(run.Id, item.Index, item.Id, item.Input, JsonSerializer.Serialize(item.Expected, FieldPath.Unescaped),
                    StoredFields.Write(item), item.Location);
                count++;
            }

            run = run with { ItemCount = count };
            run = complete?.Invoke(run) ?? run;
            Execute(connection, "UPDATE runs SET item_count = $count, config = $config WHERE id = $id", tx,
                ("$count", count), ("$config", JsonSerializer.Serialize(run.Config)), ("$id", run.Id));
            tx.Commit();
            return run;
        }
    }

    /// <summary>Stores a batch of predictions in one transaction; a stored success is never replaced, a stored error is (a retry).</summary>
    public void SavePredictions(string runId, IReadOnlyList<PredictionRecord> predictions)
    {
        lock (gate)
        {
            using var tx = connection.BeginTransaction();
            using var insert = new RowCommand(connection, tx, """
                INSERT INTO predictions
                    (run_id, variant, item_index, output, error, latency_ms, input_tokens, output_tokens, cost, cached, created_at, context)
                VALUES ($run, $variant, $index, $output, $error, $latency, $in, $out, $cost, $cached, $at, $context)
                ON CONFLICT (run_id, variant, item_index) DO UPDATE SET
                    output = excluded.output, error = excluded.error, latency_ms = excluded.latency_ms,
                    input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, cost = excluded.cost,
                    cached = excluded.cached, created_at = excluded.created_at, context = excluded.context
                WHERE predictions.error IS NOT NULL
                """, "$run", "$variant", "$index", "$output", "$error", "$latency", "$in", "$out", "$cost", "$cached", "$at", "$context");
            var now = Timestamp(DateTimeOffset.UtcNow);
            var redactor = SecretRedactor.FromEnvironment();
            foreach (var p in predictions)
            {
                insert.Run(runId, p.Variant, p.ItemIndex, redactor.Redact(p.Output), redactor.Redact(p.Error), p.LatencyMs, p.InputTokens,
                    p.OutputTokens, p.Cost, p.Cached ? 1 : 0, now, p.Context);
            }

            if (Volatile.Read(ref pendingWrites) >= CacheFlushSize)
            {
                FlushCached(tx);
            }

            tx.Commit();
        }
    }

    /// <summary>Removes a variant's scores and metric results, before it is scored again (its answers changed).</summary>
    internal void ClearScores(string runId, string variant)
    {
        lock (gate)
        {
            using var tx = connection.BeginTransaction();
            Execute(connection, "DELETE FROM scores WHERE run_id = $run AND variant = $variant", tx, ("$run", runId), ("$variant", variant));
            Execute(connection, "DELETE FROM metric_results WHERE run_id = $run AND variant = $variant", tx, ("$run", runId), ("$variant", variant));
            tx.Commit();
        }
    }

    /// <summary>Removes one metric's per-item scores of a variant (a metric that turned out not to apply to it).</summary>
    internal void DeleteScores(string runId, string variant, string metric)
    {
        lock (gate)
        {
            Execute(connection, "DELETE FROM scores WHERE run_id = $run AND variant = $variant AND metric = $metric", null,
                ("$run", runId), ("$variant", variant), ("$metric", metric));
        }
    }

    /// <summary>Stores per-item scores in one transaction.</summary>
    internal void AddScores(string runId, IReadOnlyList<ScoreRecord> scores)
    {
        if (scores.Count == 0)
        {
            return;
        }

        lock (gate)
        {
            using var tx = connection.BeginTransaction();
            using var insert = new RowCommand(connection, tx, """
                INSERT INTO scores (run_id, variant, metric, item_index, value, reason)
                VALUES ($run, $variant, $metric, $index, $value, $reason)
                """, "$run", "$variant", "$metric", "$index", "$value", "$reason");
            var redactor = SecretRedactor.FromEnvironment();
            foreach (var s in scores)
            {
                insert.Run(runId, s.Variant, s.Metric, s.ItemIndex, s.Value, redactor.Redact(s.Reason));
            }

            tx.Commit();
        }
    }

    /// <summary>Stores a variant's metric results, the last step of scoring it: a variant with results is scored.</summary>
    internal void SaveMetricResults(string runId, string variant, IReadOnlyList<MetricResult> results)
    {
        lock (gate)
        {
            using var tx = connection.BeginTransaction();
            Execute(connection, "DELETE FROM metric_results WHERE run_id = $run AND variant = $variant", tx, ("$run", runId), ("$variant", variant));
            foreach (var r in results)
            {
                Execute(connection, """
                    INSERT INTO metric_results (run_id, variant, metric, value, lower, upper, method, n, caution)
                    VALUES ($run, $variant, $metric, $value, $lower, $upper, $method, $n, $caution)
                    """, tx,
                    ("$run", runId), ("$variant", r.Variant), ("$metric", r.Metric), ("$value", r.Value),
                    ("$lower", r.Lower), ("$upper", r.Upper), ("$method", r.Method), ("$n", r.N), ("$caution", r.Caution));
            }

            tx.Commit();
        }
    }

    /// <summary>Records that prompt version <paramref name="hash"/> was made from <paramref name="parent"/> (the first parent stays).</summary>
    public void SetPromptParent(string hash, string parent)
    {
        lock (gate)
        {
            Execute(connection, "UPDATE prompts SET parent = $parent WHERE hash = $hash AND parent IS NULL AND hash <> $parent", null,
                ("$hash", hash), ("$parent", parent));
        }
    }

    /// <summary>Records the steps and identity of variants first run after their run was created (a ladder's later rungs); a set identity stays.</summary>
    public void SetIdentities(string runId, IReadOnlyDictionary<string, (string Pipeline, string Identity)> variants)
    {
        lock (gate)
        {
            using var tx = connection.BeginTransaction();
            foreach (var (name, (pipeline, identity)) in variants)
            {
                Execute(connection, "UPDATE variants SET pipeline = $pipeline, identity = $identity WHERE run_id = $run AND name = $name AND identity IS NULL", tx,
                    ("$run", runId), ("$name", name), ("$pipeline", pipeline), ("$identity", identity));
            }

            tx.Commit();
        }
    }

    public void CompleteRun(string runId)
    {
        lock (gate)
        {
            Execute(connection, "UPDATE runs SET status = $status, finished_at = $at WHERE id = $id", null,
                ("$id", runId), ("$status", StoredStatus<RunStatus>.TextOf(RunStatus.Completed)), ("$at", Timestamp(DateTimeOffset.UtcNow)));
        }
    }
}
