using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace AdaptLab.Engine.Bench;

/// <summary>
/// The peer of the Lucene.Net index: SQLite FTS5's bm25() (k1 1.2, b 0.75) with the Porter stemmer over Unicode 6.1
/// words, the query's words quoted and OR-ed, Lucene's English stop words left out (with them FTS5 was 2.4 times slower
/// still: it scores every row a term matches).
/// </summary>
internal static class Fts5Bm25
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not", "of", "on", "or",
        "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "will", "with",
    };

    public static (double IndexSeconds, (double P50, double P95) Query) Measure(string folder, IReadOnlyList<string> texts, IReadOnlyList<string> queries)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "fts5.db")};Pooling=False");
        connection.Open();
        var clock = Stopwatch.StartNew();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE VIRTUAL TABLE chunks USING fts5 (id UNINDEXED, text, tokenize = 'porter unicode61')";
            create.ExecuteNonQuery();
        }

        using (var transaction = connection.BeginTransaction())
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO chunks (id, text) VALUES ($id, $text)";
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            var text = insert.Parameters.Add("$text", SqliteType.Text);
            for (var i = 0; i < texts.Count; i++)
            {
                (id.Value, text.Value) = ("c" + i, texts[i]);
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        var indexSeconds = clock.Elapsed.TotalSeconds;
        using var search = connection.CreateCommand();
        search.CommandText = "SELECT id, -bm25(chunks) FROM chunks WHERE chunks MATCH $match ORDER BY bm25(chunks) LIMIT 50";
        var match = search.Parameters.Add("$match", SqliteType.Text);
        var times = new List<double>();
        foreach (var query in queries.Prepend(queries[0]))
        {
            var started = Stopwatch.GetTimestamp();
            match.Value = MatchExpression(query);
            using (var reader = search.ExecuteReader())
            {
                while (reader.Read())
                {
                    _ = reader.GetString(0);
                }
            }

            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        times.RemoveAt(0);
        times.Sort();
        return (indexSeconds, (times[(int)(0.5 * (times.Count - 1))], times[(int)Math.Ceiling(0.95 * (times.Count - 1))]));
    }

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
                var w = word.ToString().ToLower(CultureInfo.InvariantCulture);
                if (!StopWords.Contains(w))
                {
                    terms.Add("\"" + w + "\"");
                }

                word.Clear();
            }
        }

        return string.Join(" OR ", terms.Distinct(StringComparer.Ordinal));
    }
}
