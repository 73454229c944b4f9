using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Models;

/// <summary>
/// Answers texts embedded before from a SQLite file, keyed by the encoder's model id and the text's SHA-256, and
/// sends only the others to the encoder, in one call. The same texts are embedded run after run (a few-shot pool,
/// the test inputs, a corpus's chunks) and a sentence encoder is deterministic, so a vector once computed serves
/// every later run, task and index. Several processes may share the file: WAL lets readers go on while one writes,
/// and each call's new vectors are written in one short transaction.
/// </summary>
internal sealed class EmbeddingCacheGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    private readonly SqliteConnection connection;
    private readonly Lock gate = new();
    private readonly string? model;

    public EmbeddingCacheGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, string path)
        : base(inner)
    {
        model = inner.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        try
        {
            connection.Open();
            // A rowid table: in a WITHOUT ROWID one each 1.5 KB vector spilled to an overflow page of its own, and
            // BANKING77's 10,003 train messages took 47 MB instead of 21.
            using var command = connection.CreateCommand();
            command.CommandText = """
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = NORMAL;
                PRAGMA busy_timeout = 10000;
                CREATE TABLE IF NOT EXISTS embeddings (
                    model TEXT NOT NULL, hash BLOB NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (model, hash));
                """;
            command.ExecuteNonQuery();
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        // Options may ask for another model or fewer dimensions, and an encoder without a model id cannot be told
        // from another: neither is cached.
        if (options is not null || model is null)
        {
            return await base.GenerateAsync(values, options, cancellationToken);
        }

        var texts = values.ToList();
        var hashes = texts.Select(t => SHA256.HashData(Encoding.UTF8.GetBytes(t))).ToList();
        var vectors = Read(hashes);
        var missing = Enumerable.Range(0, texts.Count).Where(i => vectors[i] is null).ToList();
        UsageDetails? usage = null;
        if (missing.Count > 0)
        {
            var embedded = await base.GenerateAsync(missing.Select(i => texts[i]), null, cancellationToken);
            for (var j = 0; j < missing.Count; j++)
            {
                vectors[missing[j]] = embedded[j].Vector.ToArray();
            }

            Write([.. missing.Select(i => (hashes[i], vectors[i]!))]);
            usage = embedded.Usage;
        }

        return new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v!) { ModelId = model })) { Usage = usage };
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            connection.Dispose();
        }

        base.Dispose(disposing);
    }

    private float[]?[] Read(IReadOnlyList<byte[]> hashes)
    {
        var vectors = new float[]?[hashes.Count];
        lock (gate)
        {
            using var select = connection.CreateCommand();
            select.CommandText = "SELECT vector FROM embeddings WHERE model = $model AND hash = $hash";
            select.Parameters.AddWithValue("$model", model);
            var hash = select.Parameters.Add("$hash", SqliteType.Blob);
            for (var i = 0; i < hashes.Count; i++)
            {
                hash.Value = hashes[i];
                if (select.ExecuteScalar() is byte[] bytes)
                {
                    vectors[i] = MemoryMarshal.Cast<byte, float>(bytes).ToArray();
                }
            }
        }

        return vectors;
    }

    private void Write(IReadOnlyList<(byte[] Hash, float[] Vector)> rows)
    {
        lock (gate)
        {
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT OR REPLACE INTO embeddings (model, hash, vector) VALUES ($model, $hash, $vector)";
            insert.Parameters.AddWithValue("$model", model);
            var hash = insert.Parameters.Add("$hash", SqliteType.Blob);
            var vector = insert.Parameters.Add("$vector", SqliteType.Blob);
            foreach (var row in rows)
            {
                hash.Value = row.Hash;
                vector.Value = MemoryMarshal.AsBytes(row.Vector.AsSpan()).ToArray();
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }
}
