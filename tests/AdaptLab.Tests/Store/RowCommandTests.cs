using AdaptLab.Core.Store;
using Microsoft.Data.Sqlite;

namespace AdaptLab.Tests.Store;

/// <summary>Values reach SQLite as Microsoft.Data.Sqlite would bind them, the edge cases of a raw binding included.</summary>
public class RowCommandTests
{
    [Fact]
    public void Binds_each_kind_of_value_as_Microsoft_Data_Sqlite_does()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE t (a, b, c)";
            create.ExecuteNonQuery();
        }

        using (var tx = connection.BeginTransaction())
        {
            using var insert = new RowCommand(connection, tx, "INSERT INTO t (a, b, c) VALUES ($a, $b, $c)", "$a", "$b", "$c");
            insert.Run(string.Empty, Array.Empty<byte>(), null);
            insert.Run("café 😀 " + new string('x', 1000), new byte[] { 1, 2 }, 2.5);
            insert.Run("short", 7L, true);
            tx.Commit();
        }

        using var read = connection.CreateCommand();
        read.CommandText = "SELECT a, typeof(a), b, typeof(b), c, typeof(c) FROM t ORDER BY rowid";
        using var r = read.ExecuteReader();
        Assert.True(r.Read());
        // An empty string and an empty blob are values, not NULL.
        Assert.Equal((string.Empty, "text"), (r.GetString(0), r.GetString(1)));
        Assert.Equal("blob", r.GetString(3));
        Assert.Equal("null", r.GetString(5));
        Assert.True(r.Read());
        // A text after a longer one: the buffer is reused, and SQLite keeps its own copy of each.
        Assert.Equal("café 😀 " + new string('x', 1000), r.GetString(0));
        Assert.Equal(new byte[] { 1, 2 }, (byte[])r.GetValue(2));
        Assert.Equal(2.5, r.GetDouble(4));
        Assert.True(r.Read());
        Assert.Equal("short", r.GetString(0));
        Assert.Equal((7L, "integer"), (r.GetInt64(2), r.GetString(3)));
        Assert.Equal(1L, r.GetInt64(4));
    }

    [Fact]
    public void A_value_it_cannot_store_is_refused_by_name()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var tx = connection.BeginTransaction();
        using var insert = new RowCommand(connection, tx, "SELECT $a", "$a");

        Assert.Contains("Guid", Assert.Throws<ArgumentException>(() => insert.Run(Guid.NewGuid())).Message);
    }
}
