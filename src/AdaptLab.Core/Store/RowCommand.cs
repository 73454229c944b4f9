using Microsoft.Data.Sqlite;

namespace AdaptLab.Core.Store;

/// <summary>
/// A statement run once a row of a batch: prepared once, with its parameters made once and only their values set
/// for each row (a parameter collection rebuilt a row cost more than the insert).
/// </summary>
internal sealed class RowCommand : IDisposable
{
    private readonly SqliteCommand command;
    private readonly SqliteParameter[] parameters;

    /// <param name="names">The statement's parameters, in the order <see cref="Run"/> takes their values.</param>
    public RowCommand(SqliteConnection connection, SqliteTransaction tx, string sql, params string[] names)
    {
        command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        parameters = [.. names.Select(name => command.Parameters.Add(new SqliteParameter(name, DBNull.Value)))];
        command.Prepare();
    }

    public void Run(params ReadOnlySpan<object?> values)
    {
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i].Value = values[i] ?? DBNull.Value;
        }

        command.ExecuteNonQuery();
    }

    public void Dispose() => command.Dispose();
}
