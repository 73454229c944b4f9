using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AdaptLab.Core.Store;

/// <summary>
/// A statement run once a row of a batch, prepared once on the connection's own SQLite handle and stepped with the
/// values bound in place, inside the caller's transaction.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite builds a reader, a statement enumerator and a binder per parameter on every execution: for the
/// run's hot inserts (a prediction and a cached answer per model call) that cost more than SQLite's own work and was a
/// tenth of everything allocated. Values bind as Microsoft.Data.Sqlite binds them: text, integer, real, blob or null.
/// </remarks>
internal sealed class RowCommand : IDisposable
{
    private readonly sqlite3 db;
    private readonly sqlite3_stmt statement;
    private readonly int[] slots;
    private byte[] text = new byte[256];

    /// <param name="tx">The transaction the rows are written in (the statement runs on its connection).</param>
    /// <param name="names">The statement's parameters, in the order <see cref="Run"/> takes their values.</param>
    public RowCommand(SqliteConnection connection, SqliteTransaction tx, string sql, params string[] names)
    {
        if (tx.Connection != connection)
        {
            throw new ArgumentException("the transaction belongs to another connection", nameof(tx));
        }

        db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(db, sql, out statement));
        slots = [.. names.Select(name => raw.sqlite3_bind_parameter_index(statement, name) is var slot and > 0
            ? slot
            : throw new ArgumentException($"the statement has no parameter {name}", nameof(names)))];
    }

    public void Run(params ReadOnlySpan<object?> values)
    {
        if (values.Length != slots.Length)
        {
            throw new ArgumentException($"{slots.Length} values expected, got {values.Length}", nameof(values));
        }

        raw.sqlite3_reset(statement);
        for (var i = 0; i < slots.Length; i++)
        {
            Check(Bind(slots[i], values[i]));
        }

        var step = raw.sqlite3_step(statement);
        if (step != raw.SQLITE_DONE)
        {
            Check(step);
        }
    }

    private int Bind(int slot, object? value) => value switch
    {
        null => raw.sqlite3_bind_null(statement, slot),
        string s => BindText(slot, s),
        int n => raw.sqlite3_bind_int64(statement, slot, n),
        long n => raw.sqlite3_bind_int64(statement, slot, n),
        bool b => raw.sqlite3_bind_int64(statement, slot, b ? 1 : 0),
        double d => raw.sqlite3_bind_double(statement, slot, d),
        float f => raw.sqlite3_bind_double(statement, slot, f),
        byte[] bytes => raw.sqlite3_bind_blob(statement, slot, bytes),
        _ => throw new ArgumentException($"cannot store a {value.GetType().Name}"),
    };

    /// <summary>Text goes through one UTF-8 buffer the statement keeps (SQLite copies what is bound).</summary>
    private int BindText(int slot, string value)
    {
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (length > text.Length)
        {
            text = new byte[Math.Max(length, text.Length * 2)];
        }

        return raw.sqlite3_bind_text(statement, slot, text.AsSpan(0, Encoding.UTF8.GetBytes(value, text)));
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }

    public void Dispose() => statement.Dispose();
}
