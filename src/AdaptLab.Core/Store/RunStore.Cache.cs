using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace AdaptLab.Core.Store;

/// <remarks>
/// Cached answers are written behind: they wait in memory and go to disk in the transaction of the next batch of
/// predictions (or once <see cref="CacheFlushSize"/> entries wait, or at <see cref="Dispose"/>). One transaction per
/// call serialised every concurrent call on the store's lock; a killed run loses at most the unflushed entries,
/// which are a cache, never the record.
/// </remarks>
public sealed partial class RunStore
{
    private const int CacheFlushSize = 1024;

    private readonly ConcurrentDictionary<string, byte[]> pendingCache = new(StringComparer.Ordinal);

    internal byte[]? GetCached(string key)
    {
        if (pendingCache.TryGetValue(key, out var pending))
        {
            return pending;
        }

        lock (gate)
        {
            return Scalar(connection, "SELECT value FROM response_cache WHERE key = $key", ("$key", key)) as byte[];
        }
    }

    /// <remarks>
    /// Where nothing else writes (serve), a call that finds many entries waiting writes them, unless the store is busy:
    /// then whoever holds it writes them soon, and the caller does not queue behind it.
    /// </remarks>
    internal void SetCached(string key, byte[] value)
    {
        pendingCache[key] = value;
        if (pendingCache.Count < CacheFlushSize || !gate.TryEnter())
        {
            return;
        }

        try
        {
            using var tx = connection.BeginTransaction();
            FlushCached(tx);
            tx.Commit();
        }
        finally
        {
            gate.Exit();
        }
    }

    internal void RemoveCached(string key)
    {
        lock (gate)
        {
            pendingCache.TryRemove(key, out _);
            Execute(connection, "DELETE FROM response_cache WHERE key = $key", null, ("$key", key));
        }
    }

    /// <summary>Writes the pending entries in <paramref name="tx"/>; the caller holds the lock.</summary>
    private void FlushCached(SqliteTransaction tx)
    {
        if (pendingCache.IsEmpty)
        {
            return;
        }

        using var insert = new RowCommand(connection, tx, "INSERT OR REPLACE INTO response_cache (key, value, created_at) VALUES ($key, $value, $at)",
            "$key", "$value", "$at");
        var now = Timestamp(DateTimeOffset.UtcNow);
        foreach (var entry in pendingCache)
        {
            insert.Run(entry.Key, entry.Value, now);

            // An entry replaced meanwhile stays pending, for the next flush.
            pendingCache.TryRemove(entry);
        }
    }
}
