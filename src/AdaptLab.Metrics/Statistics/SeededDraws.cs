using System.Runtime.CompilerServices;

namespace AdaptLab.Metrics.Statistics;

/// <summary>
/// The draws of <c>new System.Random(seed)</c>, exactly (Knuth's subtractive generator, which a seeded
/// <see cref="Random"/> keeps for compatibility), without its indirections: a bootstrap over many items is
/// mostly draws, and every interval ever reported was read off these.
/// </summary>
/// <remarks>
/// A seeded <see cref="Random"/> goes through a virtual call and a wrapper per draw; this keeps the 55-value state in
/// the struct. Knuth, The Art of Computer Programming vol. 2, 3.6; the seeding is .NET's, so the sequence is theirs
/// (the tests compare against <see cref="Random"/>).
/// </remarks>
internal struct SeededDraws
{
    private const int Modulus = int.MaxValue;
    private const int Lag = 21;

    private State state;
    private int next;
    private int nextLagged;

    public SeededDraws(int seed)
    {
        var subtraction = seed == int.MinValue ? int.MaxValue : Math.Abs(seed);
        var mj = 161803398 - subtraction;
        state[55] = mj;
        var mk = 1;
        var ii = 0;
        for (var i = 1; i < 55; i++)
        {
            ii += Lag;
            if (ii >= 55)
            {
                ii -= 55;
            }

            state[ii] = mk;
            mk = mj - mk;
            if (mk < 0)
            {
                mk += Modulus;
            }

            mj = state[ii];
        }

        for (var round = 1; round < 5; round++)
        {
            for (var i = 1; i < 56; i++)
            {
                var n = i + 30;
                if (n >= 55)
                {
                    n -= 55;
                }

                state[i] -= state[1 + n];
                if (state[i] < 0)
                {
                    state[i] += Modulus;
                }
            }
        }

        next = 0;
        nextLagged = Lag;
    }

    /// <summary>As <see cref="Random.Next()"/>: in [0, int.MaxValue).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Next()
    {
        var i = next + 1;
        if (i >= 56)
        {
            i = 1;
        }

        var j = nextLagged + 1;
        if (j >= 56)
        {
            j = 1;
        }

        var value = state[i] - state[j];
        if (value == Modulus)
        {
            value--;
        }

        if (value < 0)
        {
            value += Modulus;
        }

        state[i] = value;
        next = i;
        nextLagged = j;
        return value;
    }

    /// <summary>As <see cref="Random.Next(int)"/>: in [0, <paramref name="maxValue"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Next(int maxValue) => (int)(Next() * (1.0 / Modulus) * maxValue);

    [InlineArray(56)]
    private struct State
    {
        private int first;
    }
}
