using AdaptLab.Engine.Generation;
using AdaptLab.Engine.LlamaC;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Tests;

public class SamplingTests
{
    private static readonly double[] Probabilities = [0.5, 0.3, 0.15, 0.05];

    private static string Text(TextGenerator generator, GenerationOptions options) =>
        string.Concat(generator.Complete([LlamaCTokenizer.BosId], options).Select(c => c.Text));

    [Fact]
    public void Same_seed_gives_the_same_text_and_other_seeds_differ()
    {
        var generator = Stories260K.Generator();
        var options = new GenerationOptions { Temperature = 1.0f, MaxTokens = 40, Seed = 42 };

        var first = Text(generator, options);

        Assert.Equal(first, Text(generator, options));
        Assert.NotEqual(first, Text(generator, options with { Seed = 43 }));
        Assert.NotEqual(first, Text(generator, options with { Seed = 44 }));
    }

    [Fact]
    public void Top_k_1_and_a_tiny_top_p_reduce_sampling_to_greedy()
    {
        var generator = Stories260K.Generator();
        var greedy = Text(generator, new GenerationOptions { Temperature = 0, MaxTokens = 40 });

        Assert.Equal(greedy, Text(generator, new GenerationOptions { Temperature = 1.5f, TopK = 1, MaxTokens = 40, Seed = 1 }));
        Assert.Equal(greedy, Text(generator, new GenerationOptions { Temperature = 1.5f, TopP = 1e-4f, MaxTokens = 40, Seed = 1 }));
    }

    [Theory]
    [InlineData(1.0f, null, null, new[] { 0.5, 0.3, 0.15, 0.05 })]
    [InlineData(1.0f, 2, null, new[] { 0.625, 0.375, 0, 0 })]
    [InlineData(1.0f, null, 0.7f, new[] { 0.625, 0.375, 0, 0 })]
    [InlineData(1.0f, null, 0.85f, new[] { 0.5 / 0.95, 0.3 / 0.95, 0.15 / 0.95, 0 })]
    [InlineData(0.5f, null, null, new[] { 0.25 / 0.365, 0.09 / 0.365, 0.0225 / 0.365, 0.0025 / 0.365 })]
    public void Sampled_frequencies_follow_temperature_top_k_and_top_p(float temperature, int? topK, float? topP, double[] expected)
    {
        Stories260K.UseTestThreads();
        const int Draws = 20000;
        using var sampler = new TokenSampler(new GenerationOptions { Temperature = temperature, TopK = topK, TopP = topP, Seed = 7 });
        using var logits = tensor(Probabilities.Select(p => (float)Math.Log(p)).ToArray()).repeat(Draws, 1);

        var counts = sampler.Sample(logits).CountBy(id => id).ToDictionary(kv => kv.Key, kv => kv.Value);

        for (var id = 0; id < expected.Length; id++)
        {
            var observed = counts.GetValueOrDefault(id) / (double)Draws;
            // Five standard errors of a binomial proportion: fails only if the sampler is wrong.
            var tolerance = (5 * Math.Sqrt(expected[id] * (1 - expected[id]) / Draws)) + 1e-9;
            Assert.InRange(observed, expected[id] - tolerance, expected[id] + tolerance);
        }
    }

    [Fact]
    public void Invalid_options_are_rejected_with_the_field_named()
    {
        var generator = Stories260K.Generator();

        Assert.Contains("TopP", Assert.Throws<ArgumentException>(() => Text(generator, new GenerationOptions { TopP = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("TopK", Assert.Throws<ArgumentException>(() => Text(generator, new GenerationOptions { TopK = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("Temperature", Assert.Throws<ArgumentException>(() => Text(generator, new GenerationOptions { Temperature = -1 })).Message, StringComparison.Ordinal);
    }
}
