using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace AdaptLab.Retrieval.Lexical;

/// <summary>
/// Lexical search with Okapi BM25 (k1 1.2, b 0.75) on SQLite's FTS5, with the Porter stemmer over Unicode 6.1 word
/// tokens. A query matches chunks holding any of its words (stemmed); FTS5's bm25() ranks them.
/// </summary>
public sealed class Bm25Index : IDisposable
{
    private readonly SqliteConnection connection;

    /// <param name="path">A SQLite file to keep the index in, or null for one in memory.</param>
    public Bm25Index(string? path = null)
    {
        connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path ?? ":memory:", Pooling = false }.ToString());
        connection.Open();
        Execute("CREATE VIRTUAL TABLE IF NOT EXISTS chunks USING fts5(id UNINDEXED, source UNINDEXED, text, tokenize = 'porter unicode61')");
    }

    public void Add(IEnumerable<Chunk> chunks)
    {
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO chunks (id, source, text) VALUES ($id, $source, $text)";
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var source = insert.Parameters.Add("$source", SqliteType.Text);
        var text = insert.Parameters.Add("$text", SqliteType.Text);
        foreach (var chunk in chunks)
        {
            (id.Value, source.Value, text.Value) = (chunk.Id, chunk.Source, chunk.Text);
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>The <paramref name="k"/> best chunks for <paramref name="query"/>; none when it has no words.</summary>
    public IReadOnlyList<SearchHit> Search(string query, int k)
    {
        var match = MatchExpression(query);
        if (match.Length == 0)
        {
            return [];
        }

        using var command = connection.CreateCommand();
        // bm25() is lower for better matches; the hit's score is its negation, so higher is better.
        command.CommandText = "SELECT id, -bm25(chunks) FROM chunks WHERE chunks MATCH $match ORDER BY bm25(chunks) LIMIT $k";
        command.Parameters.AddWithValue("$match", match);
        command.Parameters.AddWithValue("$k", k);
        using var reader = command.ExecuteReader();
        var hits = new List<SearchHit>();
        while (reader.Read())
        {
            hits.Add(new SearchHit(reader.GetString(0), reader.GetDouble(1)));
        }

        return hits;
    }

    public void Dispose() => connection.Dispose();

    /// <summary>Each word of the query as a quoted FTS5 term, joined by OR: no query text is read as FTS5 syntax.</summary>
    private static string MatchExpression(string query)
    {
        var terms = new List<string>();
        var word = new StringBuilder();
        foreach (var c in query + " ")
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(c);
            }
            else if (word.Length > 0)
            {
                terms.Add("\"" + word.ToString().ToLower(CultureInfo.InvariantCulture) + "\"");
                word.Clear();
            }
        }

        return string.Join(" OR ", terms.Distinct(StringComparer.Ordinal));
    }

    private void Execute(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
