using System.Runtime.CompilerServices;

namespace AdaptLab.Metrics.Text;

/// <summary>
/// Gives each distinct n-gram a dense id without building strings: an n-gram is its (n-1)-gram
/// prefix id plus one unit (a token id or a code point), so ids are exact, never hashes that
/// could collide. Reset is O(1) (a generation stamp), so one table serves every sentence pair.
/// </summary>
internal sealed class NgramTable
{
    /// <summary>The prefix of a unigram.</summary>
    public const int Root = -1;

    private Entry[] _entries = new Entry[256];
    private int _stamp = 1;
    private int _mask = 255;

    public int Count { get; private set; }

    public void Reset()
    {
        Count = 0;
        if (++_stamp == int.MaxValue)
        {
            Array.Clear(_entries);
            _stamp = 1;
        }
    }

    public int GetOrAdd(int prefix, int unit)
    {
        var key = Key(prefix, unit);
        var id = Probe(key, out var slot);
        if (id >= 0)
        {
            return id;
        }

        _entries[slot] = new Entry(key, Count, _stamp);
        if (++Count * 2 > _entries.Length)
        {
            Grow();
        }

        return Count - 1;
    }

    /// <summary>The id of the n-gram, or -1 when it was never added since the last reset.</summary>
    public int Find(int prefix, int unit) => Probe(Key(prefix, unit), out _);

    /// <summary>The id stored under <paramref name="key"/>, or -1 with <paramref name="slot"/> the free slot it would take.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Probe(long key, out int slot)
    {
        var entries = _entries;
        slot = Slot(key);
        while (entries[slot].Stamp == _stamp)
        {
            if (entries[slot].Key == key)
            {
                return entries[slot].Id;
            }

            slot = (slot + 1) & _mask;
        }

        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Key(int prefix, int unit) => ((long)(prefix + 1) << 32) | (uint)unit;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Slot(long key) =>

        // Fibonacci hashing spreads the packed (prefix, unit) pairs over the table.
        (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> 40) & _mask;

    private void Grow()
    {
        var old = _entries;
        _entries = new Entry[old.Length * 2];
        _mask = _entries.Length - 1;
        foreach (var entry in old)
        {
            if (entry.Stamp != _stamp)
            {
                continue;
            }

            var slot = Slot(entry.Key);
            while (_entries[slot].Stamp == _stamp)
            {
                slot = (slot + 1) & _mask;
            }

            _entries[slot] = entry;
        }
    }

    // Key, id and stamp side by side: a probe touches one cache line.
    private readonly record struct Entry(long Key, int Id, int Stamp);
}
