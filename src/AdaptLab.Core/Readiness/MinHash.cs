using System.Text;

namespace AdaptLab.Core.Readiness;

/// <summary>
/// Near-duplicate candidates by MinHash over word 3-gram shingles (128 seeded 64-bit hashes) with locality-sensitive
/// hashing in 32 bands of 4 rows, then the exact Jaccard similarity of the candidates' shingle sets: a pair is near
/// when it is at least <see cref="Threshold"/>. With 32 × 4, pairs at Jaccard 0.8 are found with probability 0.9999
/// (1 − (1 − 0.8⁴)³²) and pairs at 0.3 become candidates 23% of the time, to be dropped by the exact check.
/// Hand-written: the .NET MinHash packages on NuGet are unmaintained, and this is sixty lines.
/// </summary>
internal sealed class MinHash
{
    public const double Threshold = 0.8;
    private const int Hashes = 128;
    private const int Bands = 32;
    private const int Rows = Hashes / Bands;

    private readonly List<HashSet<ulong>> shingles = [];
    private readonly Dictionary<(int Band, ulong Key), List<int>> buckets = [];

    /// <summary>Adds a text; returns its number.</summary>
    public int Add(string text)
    {
        var set = Shingles(text);
        var number = shingles.Count;
        shingles.Add(set);
        if (set.Count == 0)
        {
            return number;
        }

        var signature = new ulong[Hashes];
        Array.Fill(signature, ulong.MaxValue);
        foreach (var shingle in set)
        {
            for (var h = 0; h < Hashes; h++)
            {
                signature[h] = Math.Min(signature[h], Mix(shingle, (ulong)h));
            }
        }

        for (var band = 0; band < Bands; band++)
        {
            var key = 0UL;
            for (var r = 0; r < Rows; r++)
            {
                key = Mix(key ^ signature[(band * Rows) + r], (ulong)r);
            }

            if (!buckets.TryGetValue((band, key), out var members))
            {
                buckets[(band, key)] = members = [];
            }

            members.Add(number);
        }

        return number;
    }

    /// <summary>Every pair of added texts at Jaccard similarity of at least the threshold, each once, smaller number first.</summary>
    public IEnumerable<(int A, int B, double Similarity)> NearPairs()
    {
        var seen = new HashSet<(int, int)>();
        foreach (var members in buckets.Values.Where(m => m.Count > 1))
        {
            for (var i = 0; i < members.Count; i++)
            {
                for (var j = i + 1; j < members.Count; j++)
                {
                    var pair = (members[i], members[j]);
                    if (seen.Add(pair) && Jaccard(shingles[pair.Item1], shingles[pair.Item2]) is var similarity and >= Threshold)
                    {
                        yield return (pair.Item1, pair.Item2, similarity);
                    }
                }
            }
        }
    }

    private static double Jaccard(HashSet<ulong> a, HashSet<ulong> b) => a.Count(b.Contains) / (double)(a.Count + b.Count - a.Count(b.Contains));

    /// <summary>Word 3-grams (the whole text as one shingle when it has fewer words), hashed.</summary>
    private static HashSet<ulong> Shingles(string text)
    {
        var words = TextKey.Words(text);
        var set = new HashSet<ulong>();
        if (words.Count < 3)
        {
            if (words.Count > 0)
            {
                set.Add(Fnv1a(string.Join(' ', words)));
            }

            return set;
        }

        for (var i = 0; i + 3 <= words.Count; i++)
        {
            set.Add(Fnv1a($"{words[i]} {words[i + 1]} {words[i + 2]}"));
        }

        return set;
    }

    /// <summary>64-bit FNV-1a of the UTF-8 bytes: stable across processes, unlike string.GetHashCode.</summary>
    private static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }

    /// <summary>The shingle under the h-th hash function: SplitMix64 of the shingle's hash and h.</summary>
    private static ulong Mix(ulong value, ulong seed)
    {
        var z = value + ((seed + 1) * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
