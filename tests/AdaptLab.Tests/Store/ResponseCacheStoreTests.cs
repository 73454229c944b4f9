using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AdaptLab.Core.Store;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests.Store;

/// <summary>
/// The store's response cache writes behind and answers misses from a filter of the keys on disk: every entry written
/// must read back, pending or flushed, in this process or the next, and a key never written must not.
/// </summary>
public sealed class ResponseCacheStoreTests
{
    // More than two flushes' worth, so entries are read back flushed, pending and loaded from disk.
    private const int Entries = 20_000;

    [Fact]
    public void Every_entry_written_reads_back_and_no_other_does()
    {
        using var dir = new TempDir();
        var path = dir.Path("runs.db");
        using (var store = RunStore.Open(path))
        {
            for (var i = 0; i < Entries; i++)
            {
                store.SetCached(Key(i), Value(i));

                // Read as they are written too, so the filter is loaded early and later flushes must add to it.
                if (i % 1000 == 0)
                {
                    Assert.Equal(Value(i / 2), store.GetCached(Key(i / 2)));
                    Assert.Null(store.GetCached(Key(Entries + i)));
                }
            }

            AssertReadsBack(store);
        }

        using (var reopened = RunStore.Open(path))
        {
            AssertReadsBack(reopened);
        }
    }

    private static void AssertReadsBack(RunStore store)
    {
        for (var i = 0; i < Entries; i++)
        {
            Assert.Equal(Value(i), store.GetCached(Key(i)));
        }

        for (var i = Entries; i < 2 * Entries; i++)
        {
            Assert.Null(store.GetCached(Key(i)));
        }
    }

    private static string Key(int i) =>
        "v2:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(i.ToString(CultureInfo.InvariantCulture))));

    private static byte[] Value(int i) => Encoding.UTF8.GetBytes($"{{\"answer\":{i.ToString(CultureInfo.InvariantCulture)}}}");
}
