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

    private long[] _keys = new long[256];
    private int[] _ids = new int[256];
    private int[] _stamps = new int[256];
    private int _stamp = 1;
    private int _mask = 255;

    public int Count { get; private set; }

    public void Reset()
    {
        Count = 0;
        if (++_stamp == int.MaxValue)
        {
            Array.Clear(_stamps);
            _stamp = 1;
        }
    }

    public int GetOrAdd(int prefix, int unit)
    {
        var key = Key(prefix, unit);
        var slot = Slot(key);
        while (_stamps[slot] == _stamp)
        {
            if (_keys[slot] == key)
            {
                return _ids[slot];
            }

            slot = (slot + 1) & _mask;
        }

        _stamps[slot] = _stamp;
        _keys[slot] = key;
        _ids[slot] = Count;
        if (++Count * 2 > _keys.Length)
        {
            Grow();
        }

        return Count - 1;
    }

    /// <summary>The id of the n-gram, or -1 when it was never added since the last reset.</summary>
    public int Find(int prefix, int unit)
    {
        var key = Key(prefix, unit);
        var slot = Slot(key);
        while (_stamps[slot] == _stamp)
        {
            if (_keys[slot] == key)
            {
                return _ids[slot];
            }

            slot = (slot + 1) & _mask;
        }

        return -1;
    }

    private static long Key(int prefix, int unit) => ((long)(prefix + 1) << 32) | (uint)unit;

    private int Slot(long key)
    {
        // Fibonacci hashing spreads the packed (prefix, unit) pairs over the table.
        var h = (ulong)key * 0x9E3779B97F4A7C15UL;
        return (int)(h >> 40) & _mask;
    }

    private void Grow()
    {
        var oldKeys = _keys;
        var oldIds = _ids;
        var oldStamps = _stamps;
        var capacity = oldKeys.Length * 2;
        _keys = new long[capacity];
        _ids = new int[capacity];
        _stamps = new int[capacity];
        _mask = capacity - 1;
        for (var i = 0; i < oldKeys.Length; i++)
        {
            if (oldStamps[i] != _stamp)
            {
                continue;
            }

            var slot = Slot(oldKeys[i]);
            while (_stamps[slot] == _stamp)
            {
                slot = (slot + 1) & _mask;
            }

            _stamps[slot] = _stamp;
            _keys[slot] = oldKeys[i];
            _ids[slot] = oldIds[i];
        }
    }
}
