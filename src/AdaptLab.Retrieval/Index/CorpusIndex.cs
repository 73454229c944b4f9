using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace AdaptLab.Retrieval.Index;

/// <summary>
/// The built-in corpus store, one SQLite file: each file's content hash and chunking settings (so a re-ingest
/// redoes only what changed), the chunks, their embeddings, and a version that changes whenever any of these does;
/// beside it, a Lucene.Net index of the chunks for BM25 (<see cref="LexicalIndex"/>), rebuilt from the chunks when an
/// ingest was cut short. Safe to call from several threads: one connection, one lock.
/// </summary>
public sealed class CorpusIndex : IDisposable
{
    private readonly SqliteConnection connection;
    private readonly LexicalIndex lexical;
    private readonly Lock gate = new();
    private VectorMatrix? vectors;
    private bool rebuildLexical;

    private CorpusIndex(SqliteConnection connection, LexicalIndex lexical)
    {
        this.connection = connection;
        this.lexical = lexical;
    }

    /// <param name="path">The index file (created with its folder when missing), or null for one in memory.</param>
    public static CorpusIndex Open(string? path)
    {
        if (path is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path ?? ":memory:", Pooling = false }.ToString());
        connection.Open();
        var index = new CorpusIndex(connection, new LexicalIndex(path is null ? null : Path.GetFullPath(path) + ".lucene"));
        index.Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, hash TEXT NOT NULL, settings TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS chunks (
                n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, file TEXT NOT NULL, source TEXT NOT NULL, heading TEXT NOT NULL,
                start INTEGER NOT NULL, end INTEGER NOT NULL, tokens INTEGER NOT NULL, text TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS chunks_file ON chunks (file);
            CREATE TABLE IF NOT EXISTS vectors (n INTEGER PRIMARY KEY, vector BLOB NOT NULL);
            CREATE TRIGGER IF NOT EXISTS chunks_delete AFTER DELETE ON chunks BEGIN
                DELETE FROM vectors WHERE n = old.n;
            END;
            """);
        return index;
    }

    /// <summary>The version runs record: changes with any chunk, setting or embedding model; null before the first ingest.</summary>
    public string? Version => Meta("version");

    /// <summary>The embedding model of the stored vectors, or null where none are stored.</summary>
    public string? Encoder => Meta("encoder");

    public int ChunkCount => Scalar("SELECT count(*) FROM chunks");

    public int VectorCount => Scalar("SELECT count(*) FROM vectors");

    /// <summary>The lexical (BM25) ranking: chunks holding any of the query's words, stemmed; none when it has no words.</summary>
    public IReadOnlyList<SearchHit> Lexical(string query, int k) => lexical.Search(query, k);

    /// <summary>Every stored vector in one block, loaded once; refreshed after an ingest changed them.</summary>
    public VectorMatrix Vectors()
    {
        lock (gate)
        {
            if (vectors is not null)
            {
                return vectors;
            }

            var count = Scalar("SELECT count(*) FROM vectors");
            var ids = new string[count];
            float[]? data = null;
            var dimensions = 0;
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT c.id, v.vector FROM vectors v JOIN chunks c ON c.n = v.n ORDER BY v.n";
            using var reader = command.ExecuteReader();
            for (var row = 0; reader.Read(); row++)
            {
                ids[row] = reader.GetString(0);
                var vector = MemoryMarshal.Cast<byte, float>((byte[])reader.GetValue(1));
                if (data is null)
                {
                    dimensions = vector.Length;
                    data = new float[(long)count * dimensions];
                }

                vector.CopyTo(data.AsSpan(row * dimensions, dimensions));
            }

            return vectors = new VectorMatrix(ids, data ?? [], dimensions);
        }
    }

    /// <summary>The chunks with these ids, in the order given; ids not in the index are left out.</summary>
    public IReadOnlyList<Chunk> Chunks(IEnumerable<string> ids)
    {
        lock (gate)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT id, source, text, heading, start, end, tokens FROM chunks WHERE id = $id";
            var id = command.Parameters.Add("$id", SqliteType.Text);
            var found = new List<Chunk>();
            foreach (var wanted in ids)
            {
                id.Value = wanted;
                using var reader = command.ExecuteReader();
                if (reader.Read())
                {
                    found.Add(new Chunk(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                        reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6)));
                }
            }

            return found;
        }
    }

    /// <summary>The <paramref name="k"/> chunks with the most tokens: the worst case of a prompt's length.</summary>
    public IReadOnlyList<Chunk> Longest(int k)
    {
        var ids = new List<string>();
        lock (gate)
        {
            using var command = Command("SELECT id FROM chunks ORDER BY tokens DESC, n LIMIT $k", ("$k", k));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                ids.Add(reader.GetString(0));
            }
        }

        return Chunks(ids);
    }

    internal (string Hash, string Settings)? File(string path)
    {
        using var command = Command("SELECT hash, settings FROM files WHERE path = $path", ("$path", path));
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.GetString(1)) : null;
    }

    internal IReadOnlyList<string> Files()
    {
        using var command = Command("SELECT path FROM files ORDER BY path");
        using var reader = command.ExecuteReader();
        var paths = new List<string>();
        while (reader.Read())
        {
            paths.Add(reader.GetString(0));
        }

        return paths;
    }

    /// <summary>
    /// Starts an ingest. Until <see cref="Seal"/> commits the lexical index with the new version, the index counts as
    /// cut short; an ingest that finds it so (or the Lucene folder behind the chunks) rebuilds it from the chunks.
    /// </summary>
    internal void BeginIngest()
    {
        rebuildLexical = Meta("lexical_dirty") == "1" || lexical.CommittedVersion != Version;
        SetMeta("lexical_dirty", "1");
    }

    /// <summary>Replaces a file's chunks in one transaction: a failure leaves its old chunks as they were.</summary>
    internal int ReplaceFile(string path, string hash, string settings, IEnumerable<Chunk> chunks)
    {
        using var transaction = connection.BeginTransaction();
        if (!rebuildLexical)
        {
            lexical.Remove(path);
        }

        Command("DELETE FROM chunks WHERE file = $file", ("$file", path)).ExecuteNonQuery();
        using var insert = Command("INSERT INTO chunks (id, file, source, heading, start, end, tokens, text) VALUES ($id, $file, $source, $heading, $start, $end, $tokens, $text)");
        insert.Parameters.AddWithValue("$file", path);
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var source = insert.Parameters.Add("$source", SqliteType.Text);
        var heading = insert.Parameters.Add("$heading", SqliteType.Text);
        var start = insert.Parameters.Add("$start", SqliteType.Integer);
        var end = insert.Parameters.Add("$end", SqliteType.Integer);
        var tokens = insert.Parameters.Add("$tokens", SqliteType.Integer);
        var text = insert.Parameters.Add("$text", SqliteType.Text);
        var count = 0;
        foreach (var chunk in chunks)
        {
            (id.Value, source.Value, heading.Value, start.Value, end.Value, tokens.Value, text.Value) =
                (chunk.Id, chunk.Source, chunk.Heading, chunk.Start, chunk.End, chunk.Tokens, chunk.Text);
            try
            {
                insert.ExecuteNonQuery();
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 19)
            {
                rebuildLexical = true;
                throw new DuplicateChunkException(chunk.Source, Owner(chunk.Id) ?? path);
            }

            if (!rebuildLexical)
            {
                lexical.Add(path, [(chunk.Id, Embedded(chunk.Heading, chunk.Text))]);
            }

            count++;
        }

        Command("INSERT OR REPLACE INTO files (path, hash, settings) VALUES ($path, $hash, $settings)", ("$path", path), ("$hash", hash), ("$settings", settings))
            .ExecuteNonQuery();
        transaction.Commit();
        vectors = null;
        return count;
    }

    internal void RemoveFile(string path)
    {
        if (!rebuildLexical)
        {
            lexical.Remove(path);
        }

        using var transaction = connection.BeginTransaction();
        Command("DELETE FROM chunks WHERE file = $file", ("$file", path)).ExecuteNonQuery();
        Command("DELETE FROM files WHERE path = $path", ("$path", path)).ExecuteNonQuery();
        transaction.Commit();
        vectors = null;
    }

    /// <summary>Forgets every vector when the embedding model changes: vectors of two models do not compare.</summary>
    internal void UseEncoder(string encoder)
    {
        if (Encoder is { } stored && stored != encoder)
        {
            Execute("DELETE FROM vectors");
        }

        SetMeta("encoder", encoder);
        vectors = null;
    }

    internal int PendingVectors => Scalar("SELECT count(*) FROM chunks WHERE n NOT IN (SELECT n FROM vectors)");

    /// <summary>Up to <paramref name="count"/> chunks without a vector, in index order: ingest embeds them a batch at a time.</summary>
    internal IReadOnlyList<(long N, string Text)> WithoutVectors(int count)
    {
        using var command = Command("SELECT n, heading, text FROM chunks WHERE n NOT IN (SELECT n FROM vectors) ORDER BY n LIMIT $count", ("$count", count));
        using var reader = command.ExecuteReader();
        var found = new List<(long, string)>();
        while (reader.Read())
        {
            found.Add((reader.GetInt64(0), Embedded(reader.GetString(1), reader.GetString(2))));
        }

        return found;
    }

    /// <summary>The text a chunk is embedded and indexed as: its headings, then its text.</summary>
    internal static string Embedded(string heading, string text) => heading.Length == 0 ? text : heading + "\n" + text;

    internal void AddVectors(IReadOnlyList<long> rows, IReadOnlyList<ReadOnlyMemory<float>> embeddings)
    {
        using var transaction = connection.BeginTransaction();
        using var insert = Command("INSERT OR REPLACE INTO vectors (n, vector) VALUES ($n, $vector)");
        var n = insert.Parameters.Add("$n", SqliteType.Integer);
        var vector = insert.Parameters.Add("$vector", SqliteType.Blob);
        for (var i = 0; i < rows.Count; i++)
        {
            n.Value = rows[i];
            vector.Value = MemoryMarshal.AsBytes(VectorMatrix.Normalized(embeddings[i].Span)).ToArray();
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        vectors = null;
    }

    /// <summary>Seals an ingest: the version hashes the settings, the encoder and every file's content hash.</summary>
    internal string Seal(string settings)
    {
        var text = new StringBuilder(settings).Append('\n').Append(Encoder).Append('\n');
        using (var command = Command("SELECT path, hash FROM files ORDER BY path"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                text.Append(reader.GetString(0)).Append('\t').Append(reader.GetString(1)).Append('\n');
            }
        }

        text.Append(VectorCount.ToString(CultureInfo.InvariantCulture));
        var version = "idx-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
        if (rebuildLexical)
        {
            RebuildLexical();
        }

        lexical.Commit(version);
        SetMeta("version", version);
        SetMeta("lexical_dirty", "0");
        rebuildLexical = false;
        return version;
    }

    /// <summary>Every chunk into an empty lexical index, file by file, streamed from the store.</summary>
    private void RebuildLexical()
    {
        lexical.Clear();
        using var command = Command("SELECT file, id, heading, text FROM chunks ORDER BY n");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            lexical.Add(reader.GetString(0), [(reader.GetString(1), Embedded(reader.GetString(2), reader.GetString(3)))]);
        }
    }

    public void Dispose()
    {
        lexical.Dispose();
        connection.Dispose();
    }

    private string? Owner(string chunkId)
    {
        using var command = Command("SELECT file FROM chunks WHERE id = $id", ("$id", chunkId));
        return command.ExecuteScalar() as string;
    }

    private string? Meta(string key)
    {
        lock (gate)
        {
            using var command = Command("SELECT value FROM meta WHERE key = $key", ("$key", key));
            return command.ExecuteScalar() as string;
        }
    }

    private void SetMeta(string key, string value) =>
        Command("INSERT OR REPLACE INTO meta (key, value) VALUES ($key, $value)", ("$key", key), ("$value", value)).ExecuteNonQuery();

    private int Scalar(string sql)
    {
        lock (gate)
        {
            using var command = Command(sql);
            return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
    }

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}

/// <summary>Two documents of a corpus with one id.</summary>
public sealed class DuplicateChunkException(string source, string firstFile) : Exception($"the document id '{source}' is used twice (also in {firstFile})")
{
    public string DocumentId { get; } = source;
}
