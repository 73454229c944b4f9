using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AdaptLab.Core.Variants;

/// <summary>
/// A random source for one item that depends only on the seed and the item's id: the same examples on a
/// resume, in any order of calls, whatever other items the run has.
/// </summary>
internal static class ItemRandom
{
    public static Random For(int seed, string itemId) =>
        new(BinaryPrimitives.ReadInt32LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}\n{itemId}"))));

    /// <summary>The first <paramref name="k"/> of a seeded partial Fisher-Yates shuffle of 0..n-1.</summary>
    public static int[] Choose(Random random, int n, int k)
    {
        var order = Enumerable.Range(0, n).ToArray();
        for (var i = 0; i < k; i++)
        {
            var j = random.Next(i, n);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order[..k];
    }
}
