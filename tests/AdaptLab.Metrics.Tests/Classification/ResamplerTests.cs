using AdaptLab.Metrics.Classification;

namespace AdaptLab.Metrics.Tests.Classification;

public class ResamplerTests
{
    [Theory]
    [InlineData(F1Average.Macro)]
    [InlineData(F1Average.Micro)]
    [InlineData(F1Average.Weighted)]
    public void The_fast_resampler_equals_recomputing_on_every_resample(F1Average average)
    {
        var random = new Random(11);
        string[] labels = ["a", "b", "c", "d", "e", "rare"];
        var items = Enumerable.Range(0, 60).Select(i => MetricItem.Single(
            labels[random.Next(i == 7 ? 6 : 5)],
            i == 3 ? " rare " : labels[random.Next(5)])).ToList();
        var metric = new AveragedF1(average);
        var resampler = metric.Resampler(items);

        for (var r = 0; r < 200; r++)
        {
            // Short resamples often miss classes entirely, which changes the macro average's class set.
            var indices = Enumerable.Range(0, random.Next(1, 40)).Select(_ => random.Next(items.Count)).ToArray();
            var expected = metric.Compute(indices.Select(i => items[i]).ToList()).Value;

            Assert.Equal(expected, resampler(indices), 12);
        }
    }
}
