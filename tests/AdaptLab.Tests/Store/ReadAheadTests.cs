using AdaptLab.Core.Store;

namespace AdaptLab.Tests.Store;

public class ReadAheadTests
{
    [Fact]
    public void Every_element_arrives_in_order()
    {
        Assert.Equal(Enumerable.Range(0, 10_000), Enumerable.Range(0, 10_000).Ahead(16));
    }

    [Fact]
    public void A_failure_in_the_reading_reaches_the_consumer_where_the_element_would_have()
    {
        var seen = new List<int>();
        var error = Assert.Throws<InputException>(() =>
        {
            foreach (var i in Failing().Ahead(4))
            {
                seen.Add(i);
            }
        });

        Assert.Equal([0, 1, 2], seen);
        Assert.Contains("line 4", error.Message, StringComparison.Ordinal);

        static IEnumerable<int> Failing()
        {
            for (var i = 0; i < 3; i++)
            {
                yield return i;
            }

            throw new InputException("data.jsonl", 4, null, "not valid JSON (line 4)");
        }
    }

    [Fact]
    public void A_consumer_that_stops_early_stops_the_reading_and_the_source_is_disposed()
    {
        var source = new Endless();
        Assert.Equal([0, 1, 2], source.Ahead(2).Take(3));
        Assert.True(source.Disposed);
        Assert.True(source.Read < 100, $"read {source.Read} elements ahead of a consumer that took 3");
    }

    private sealed class Endless : IEnumerable<int>
    {
        public bool Disposed { get; private set; }

        public int Read { get; private set; }

        public IEnumerator<int> GetEnumerator()
        {
            try
            {
                while (true)
                {
                    yield return Read++;
                }
            }
            finally
            {
                Disposed = true;
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
