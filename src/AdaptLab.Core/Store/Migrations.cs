namespace AdaptLab.Core.Store;

/// <summary>
/// The store's schema, one script per version. SQLite's <c>user_version</c> records how far a
/// database has come; a newer binary upgrades an older store in place, never the reverse.
/// </summary>
internal static class Migrations
{
    public static readonly IReadOnlyList<string> Scripts =
    [
        """
        CREATE TABLE runs (
            id            TEXT PRIMARY KEY,
            task_name     TEXT NOT NULL,
            task_path     TEXT NOT NULL,
            task_hash     TEXT NOT NULL,
            task_text     TEXT NOT NULL,
            dataset_path  TEXT NOT NULL,
            dataset_hash  TEXT NOT NULL,
            item_count    INTEGER NOT NULL,
            sample_seed   INTEGER,
            config        TEXT NOT NULL,
            status        TEXT NOT NULL CHECK (status IN ('running', 'completed')),
            started_at    TEXT NOT NULL,
            finished_at   TEXT
        );
        CREATE INDEX runs_by_task ON runs (task_path, started_at);

        CREATE TABLE prompts (
            hash TEXT PRIMARY KEY,
            text TEXT NOT NULL
        );

        CREATE TABLE variants (
            run_id        TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            name          TEXT NOT NULL,
            ordinal       INTEGER NOT NULL,
            prompt_hash   TEXT NOT NULL REFERENCES prompts (hash),
            prompt_path   TEXT NOT NULL,
            system_prompt TEXT,
            model_name    TEXT NOT NULL,
            model_ref     TEXT NOT NULL,
            parameters    TEXT NOT NULL,
            PRIMARY KEY (run_id, name)
        );

        CREATE TABLE items (
            run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            item_index INTEGER NOT NULL,
            item_id    TEXT NOT NULL,
            input      TEXT NOT NULL,
            expected   TEXT NOT NULL,
            fields     TEXT NOT NULL,
            location   TEXT NOT NULL,
            PRIMARY KEY (run_id, item_index)
        );

        CREATE TABLE predictions (
            run_id        TEXT NOT NULL,
            variant       TEXT NOT NULL,
            item_index    INTEGER NOT NULL,
            output        TEXT,
            error         TEXT,
            latency_ms    REAL NOT NULL,
            input_tokens  INTEGER,
            output_tokens INTEGER,
            cost          REAL,
            cached        INTEGER NOT NULL,
            created_at    TEXT NOT NULL,
            PRIMARY KEY (run_id, variant, item_index),
            FOREIGN KEY (run_id, variant) REFERENCES variants (run_id, name) ON DELETE CASCADE
        );

        CREATE TABLE scores (
            run_id     TEXT NOT NULL,
            variant    TEXT NOT NULL,
            metric     TEXT NOT NULL,
            item_index INTEGER NOT NULL,
            value      REAL NOT NULL,
            reason     TEXT,
            PRIMARY KEY (run_id, variant, metric, item_index),
            FOREIGN KEY (run_id, variant) REFERENCES variants (run_id, name) ON DELETE CASCADE
        );

        CREATE TABLE metric_results (
            run_id  TEXT NOT NULL,
            variant TEXT NOT NULL,
            metric  TEXT NOT NULL,
            value   REAL NOT NULL,
            lower   REAL,
            upper   REAL,
            method  TEXT,
            n       INTEGER NOT NULL,
            PRIMARY KEY (run_id, variant, metric),
            FOREIGN KEY (run_id, variant) REFERENCES variants (run_id, name) ON DELETE CASCADE
        );

        CREATE TABLE response_cache (
            key        TEXT PRIMARY KEY,
            value      BLOB NOT NULL,
            created_at TEXT NOT NULL
        );
        """,
        """
        -- One process at a time evaluates a run: a second `eval --resume` of the same run would ask the
        -- model again for the items in flight. The lease expires when its owner stops renewing it.
        CREATE TABLE run_leases (
            run_id     TEXT PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
            owner      TEXT NOT NULL,
            expires_at INTEGER NOT NULL
        );
        """,
        """
        -- A variant is a pipeline: its steps' configuration and its identity (prompt version, steps, model
        -- identity, parameters), and per prediction what the steps contributed (the few-shot ids).
        -- NULL in runs stored before.
        ALTER TABLE variants ADD COLUMN pipeline TEXT;
        ALTER TABLE variants ADD COLUMN identity TEXT;
        ALTER TABLE predictions ADD COLUMN context TEXT;
        """,
        """
        -- A prompt version made by `refine` from another: its parent, for the lineage `prompts` shows.
        ALTER TABLE prompts ADD COLUMN parent TEXT;
        """,
        """
        -- A fine-tuned model's card (what finetune writes beside it as training.json), keyed by the identity
        -- its runs record for it: base model and hash, data hashes, readiness, settings, curve, time.
        CREATE TABLE trained_models (
            identity      TEXT PRIMARY KEY,
            base_identity TEXT NOT NULL,
            path          TEXT NOT NULL,
            task_path     TEXT NOT NULL,
            variant       TEXT NOT NULL,
            record        TEXT NOT NULL,
            finished_at   TEXT NOT NULL
        );
        """,
            """
        -- A study is one climb of the ladder (`adaptlab run`): its rungs are variants of one run, so every rung answers the
        -- same frozen items; a rung row says what the rung is, whether it was measured and why not, and how it was trained.
        -- Its prices and probe settings are frozen when it starts, the recommendation when the climb ends.
        CREATE TABLE studies (
            id             TEXT PRIMARY KEY,
            task_path      TEXT NOT NULL,
            task_name      TEXT NOT NULL,
            run_id         TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            climb_all      INTEGER NOT NULL,
            settings       TEXT NOT NULL,
            readiness      TEXT,
            status         TEXT NOT NULL,
            recommendation TEXT,
            started_at     TEXT NOT NULL,
            finished_at    TEXT
        );

        CREATE TABLE study_rungs (
            study_id       TEXT NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
            ordinal        INTEGER NOT NULL,
            rung           TEXT NOT NULL,
            source_variant TEXT NOT NULL,
            status         TEXT NOT NULL,
            reason         TEXT,
            training       TEXT,
            PRIMARY KEY (study_id, rung)
        );
        """,
        """
        -- Labels (production, staging, ...) point a task at a run, and so at its prompt versions and model references (an
        -- adapter is one); every promotion and rollback is a row of its own, with who, when and why. A row names the row it
        -- replaced, so rolling back twice walks back two promotions.
        CREATE TABLE labels (
            id        INTEGER PRIMARY KEY AUTOINCREMENT,
            task_name TEXT NOT NULL,
            label     TEXT NOT NULL,
            run_id    TEXT NOT NULL REFERENCES runs (id),
            snapshot  TEXT NOT NULL,
            action    TEXT NOT NULL,
            previous  INTEGER REFERENCES labels (id),
            actor     TEXT NOT NULL,
            reason    TEXT,
            at        TEXT NOT NULL
        );
        CREATE INDEX labels_by_name ON labels (task_name, label, id);
        """,
        """
        -- A judge's verdict on one output (pointwise) or one pair (pairwise, against the baseline variant), per repeat:
        -- the value, or the parse error that left it without one (never a zero); the position the output was shown in.
        CREATE TABLE judgements (
            run_id       TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            judge        TEXT NOT NULL,
            variant      TEXT NOT NULL,
            item_index   INTEGER NOT NULL,
            repeat       INTEGER NOT NULL,
            value        REAL,
            error        TEXT,
            reply        TEXT NOT NULL,
            shown_second INTEGER,
            judge_hash   TEXT NOT NULL,
            PRIMARY KEY (run_id, judge, variant, item_index, repeat)
        );

        -- People's ratings of a run's outputs, imported from CSV, one per item, variant and rater.
        CREATE TABLE human_ratings (
            run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            variant    TEXT NOT NULL,
            item_index INTEGER NOT NULL,
            rater      TEXT NOT NULL,
            rating     REAL NOT NULL,
            note       TEXT,
            source     TEXT NOT NULL,
            PRIMARY KEY (run_id, variant, item_index, rater)
        );
        """,
        """
        -- Why a metric's interval is unreliable (it excludes its own estimate, a label has a single item), for the
        -- console to show beside it; NULL when nothing is known against it, and in runs scored before.
        ALTER TABLE metric_results ADD COLUMN caution TEXT;
        """,
];
}
