namespace AdaptLab.Metrics.Text;

/// <summary>
/// Maps token text to dense ids by content (ordinal), copying each new token once into an arena
/// instead of allocating a string per token. Reset is O(1), so one interner serves every pair.
/// </summary>
internal sealed class TokenInterner
{
    private char[] _arena = new char[1024];
    private int _arenaLength;
    private readonly List<TokenSpan> _tokens = [];
    private int[] _slots = new int[256];
    private int[] _hashes = new int[256];
    private int[] _stamps = new int[256];
    private int _stamp = 1;
    private int _mask = 255;

    public int Count => _tokens.Count;

    public void Reset()
    {
        _tokens.Clear();
        _arenaLength = 0;
        if (++_stamp == int.MaxValue)
        {
            Array.Clear(_stamps);
            _stamp = 1;
        }
    }

    public int GetOrAdd(ReadOnlySpan<char> token)
    {
        var hash = string.GetHashCode(token);
        var slot = Find(token, hash);
        if (_stamps[slot] == _stamp)
        {
            return _slots[slot];
        }

        if (_arenaLength + token.Length > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaLength + token.Length));
        }

        token.CopyTo(_arena.AsSpan(_arenaLength));
        var id = _tokens.Count;
        _tokens.Add(new TokenSpan(_arenaLength, token.Length));
        _arenaLength += token.Length;
        _stamps[slot] = _stamp;
        _hashes[slot] = hash;
        _slots[slot] = id;
        if (_tokens.Count * 2 > _slots.Length)
        {
            Grow();
        }

        return id;
    }

    /// <summary>The id of the token, or -1 when it was never added since the last reset.</summary>
    public int Find(ReadOnlySpan<char> token)
    {
        var slot = Find(token, string.GetHashCode(token));
        return _stamps[slot] == _stamp ? _slots[slot] : -1;
    }

    private int Find(ReadOnlySpan<char> token, int hash)
    {
        var slot = hash & _mask;
        while (_stamps[slot] == _stamp)
        {
            if (_hashes[slot] == hash)
            {
                var known = _tokens[_slots[slot]];
                if (token.SequenceEqual(_arena.AsSpan(known.Start, known.Length)))
                {
                    return slot;
                }
            }

            slot = (slot + 1) & _mask;
        }

        return slot;
    }

    private void Grow()
    {
        var oldSlots = _slots;
        var oldHashes = _hashes;
        var oldStamps = _stamps;
        var capacity = oldSlots.Length * 2;
        _slots = new int[capacity];
        _hashes = new int[capacity];
        _stamps = new int[capacity];
        _mask = capacity - 1;
        for (var i = 0; i < oldSlots.Length; i++)
        {
            if (oldStamps[i] != _stamp)
            {
                continue;
            }

            var slot = oldHashes[i] & _mask;
            while (_stamps[slot] == _stamp)
            {
                slot = (slot + 1) & _mask;
            }

            _stamps[slot] = _stamp;
            _hashes[slot] = oldHashes[i];
            _slots[slot] = oldSlots[i];
        }
    }
}
