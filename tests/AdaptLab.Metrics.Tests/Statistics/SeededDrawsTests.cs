using AdaptLab.Metrics.Statistics;

namespace AdaptLab.Metrics.Tests.Statistics;

/// <summary>Every interval reported so far was read off a seeded <see cref="Random"/>'s draws: these are the same draws.</summary>
public class SeededDrawsTests
{
    [Theory]
    [InlineData(20240611)]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-7)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    [InlineData(161803398)]
    public void Draws_what_a_seeded_Random_draws(int seed)
    {
        var expected = new Random(seed);
        var actual = new SeededDraws(seed);
        foreach (var bound in new[] { 1, 2, 5, 77, 100_000, 1_000_000, int.MaxValue })
        {
            for (var i = 0; i < 2000; i++)
            {
                Assert.Equal(expected.Next(bound), actual.Next(bound));
            }
        }

        for (var i = 0; i < 2000; i++)
        {
            Assert.Equal(expected.Next(), actual.Next());
        }
    }

    [Fact]
    public void Another_seed_draws_otherwise()
    {
        // The control: the comparison above can fail.
        var a = new SeededDraws(20240611);
        var b = new Random(20240612);
        Assert.Contains(Enumerable.Range(0, 100), _ => a.Next(1000) != b.Next(1000));
    }
}
