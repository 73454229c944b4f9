using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace AdaptLab.Core.Store;

/// <remarks>
/// Cached answers are written behind: they wait in memory and go to disk once <see cref="CacheFlushSize"/> entries wait
/// (in the transaction of the next batch of predictions, or at once where the store is free), and at <see cref="Dispose"/>.
/// Keys are hashes, so each entry lands on a random page of the key index: written a few at a time, nearly every entry
/// rewrote a whole index page into the WAL (the harness at 100k items spent 1.5-1.9 s of system time, now 1.0 s); thousands
/// at a time, in key order, share the pages they touch. A killed run loses at most the unflushed entries, which are a
/// cache, never the record.
/// </remarks>
internal sealed partial class RunStore
{
    private const int CacheFlushSize = 8192;

    private readonly ConcurrentDictionary<string, byte[]> pendingCache = new(StringComparer.Ordinal);

    /// <summary>Entries set since the last flush: a dictionary's <c>Count</c> takes all its locks, on every call.</summary>
    private int pendingWrites;

    private bool? holdsOldCacheKeys;

    /// <summary>Whether any cached answer has a key of Microsoft.Extensions.AI's own form (96 hex digits, no version prefix); asked once.</summary>
    internal bool HoldsOldCacheKeys
    {
        get
        {
            lock (gate)
            {
                return holdsOldCacheKeys ??= Scalar(connection, "SELECT EXISTS (SELECT 1 FROM response_cache WHERE key NOT LIKE 'v2:%')") is 1L;
            }
        }
    }

    /// <summary>Hash bits that pick a word of the stored-key filter: 2^19 words, 4 MiB however large the cache grows.</summary>
    private const int KeyFilterWordBits = 19;

    /// <summary>
    /// A blocked Bloom filter of the keys on disk, read once at the first lookup and set as entries are written: each key
    /// sets four bits of one word, and a key missing any of its bits is a miss without a query, which makes a cold cache
    /// cost one word read a call. At a million keys about one miss in 1,000 still queries (one bit a key, as before, let
    /// one in 16 through, each waiting on the store's lock while a flush held it: the harness ran 8% slower with the cache on).
    /// </summary>
    private long[]? storedKeys;

    internal byte[]? GetCached(string key)
    {
        if (pendingCache.TryGetValue(key, out var pending))
        {
            return pending;
        }

        var (word, bits) = FilterBits(key);
        if ((Volatile.Read(ref (storedKeys ?? StoredKeys())[word]) & bits) != bits)
        {
            return null;
        }

        lock (gate)
        {
            return Scalar(connection, "SELECT value FROM response_cache WHERE key = $key", ("$key", key)) as byte[];
        }
    }

    private static (int Word, long Bits) FilterBits(string key)
    {
        // The string hash spread over 64 bits: the word from the top, the four bit positions from the bottom six bits each.
        var hash = (ulong)(uint)key.GetHashCode(StringComparison.Ordinal) * 0x9E3779B97F4A7C15UL;
        var bits = 0L;
        for (var i = 0; i < 4; i++)
        {
            bits |= 1L << (int)((hash >> (6 * i)) & 63);
        }

        return ((int)(hash >> (64 - KeyFilterWordBits)), bits);
    }

    private long[] StoredKeys()
    {
        lock (gate)
        {
            if (storedKeys is null)
            {
                var keys = new long[1 << KeyFilterWordBits];
                foreach (var (word, bits) in Query("SELECT key FROM response_cache", r => FilterBits(r.GetString(0))))
                {
                    keys[word] |= bits;
                }

                storedKeys = keys;
            }

            return storedKeys;
        }
    }

    internal void SetCached(string key, byte[] value)
    {
        pendingCache[key] = value;
        if (Interlocked.Increment(ref pendingWrites) < CacheFlushSize || !gate.TryEnter())
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
        Volatile.Write(ref pendingWrites, 0);
        if (pendingCache.IsEmpty)
        {
            return;
        }

        using var insert = new RowCommand(connection, tx, "INSERT OR REPLACE INTO response_cache (key, value, created_at) VALUES ($key, $value, $at)",
            "$key", "$value", "$at");
        var now = Timestamp(DateTimeOffset.UtcNow);
        var entries = pendingCache.ToArray();
        Array.Sort(entries, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        foreach (var entry in entries)
        {
            insert.Run(entry.Key, entry.Value, now);
            if (storedKeys is { } keys)
            {
                var (word, bits) = FilterBits(entry.Key);
                Interlocked.Or(ref keys[word], bits);
            }

            // An entry replaced meanwhile stays pending, for the next flush.
            pendingCache.TryRemove(entry);
        }
    }
}
