namespace AdaptLab.Metrics.Text;

/// <summary>
/// Maps token text to dense ids by content (ordinal), copying each new token once into an arena
/// instead of allocating a string per token. Reset is O(1), so one interner serves every pair.
/// </summary>
internal sealed class TokenInterner
{
    private char[] _arena = new char[1024];
    private int _arenaLength;
    private Entry[] _entries = new Entry[256];
    private int _stamp = 1;
    private int _mask = 255;

    public int Count { get; private set; }

    public void Reset()
    {
        Count = 0;
        _arenaLength = 0;
        if (++_stamp == int.MaxValue)
        {
            Array.Clear(_entries);
            _stamp = 1;
        }
    }

    public int GetOrAdd(ReadOnlySpan<char> token)
    {
        var hash = Hash(token);
        var slot = Find(token, hash);
        if (_entries[slot].Stamp == _stamp)
        {
            return _entries[slot].Id;
        }

        if (_arenaLength + token.Length > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaLength + token.Length));
        }

        token.CopyTo(_arena.AsSpan(_arenaLength));
        _entries[slot] = new Entry(hash, Count, _arenaLength, token.Length, _stamp);
        _arenaLength += token.Length;
        if (++Count * 2 > _entries.Length)
        {
            Grow();
        }

        return Count - 1;
    }

    /// <summary>The id of the token, or -1 when it was never added since the last reset.</summary>
    public int Find(ReadOnlySpan<char> token)
    {
        var slot = Find(token, Hash(token));
        return _entries[slot].Stamp == _stamp ? _entries[slot].Id : -1;
    }

    // FNV-1a over the UTF-16 units: tokens are short, and equality is checked on the text anyway.
    private static int Hash(ReadOnlySpan<char> token)
    {
        var h = 2166136261u;
        foreach (var c in token)
        {
            h = (h ^ c) * 16777619u;
        }

        return (int)(h ^ (h >> 15));
    }

    private int Find(ReadOnlySpan<char> token, int hash)
    {
        var slot = hash & _mask;
        while (_entries[slot].Stamp == _stamp)
        {
            ref readonly var e = ref _entries[slot];
            if (e.Hash == hash && token.SequenceEqual(_arena.AsSpan(e.Start, e.Length)))
            {
                return slot;
            }

            slot = (slot + 1) & _mask;
        }

        return slot;
    }

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

            var slot = entry.Hash & _mask;
            while (_entries[slot].Stamp == _stamp)
            {
                slot = (slot + 1) & _mask;
            }

            _entries[slot] = entry;
        }
    }

    private readonly record struct Entry(int Hash, int Id, int Start, int Length, int Stamp);
}
