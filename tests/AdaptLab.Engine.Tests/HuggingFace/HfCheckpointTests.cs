using AdaptLab.Engine.HuggingFace;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Tests.HuggingFace;

public sealed class HfCheckpointTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("hf-checkpoint-").FullName;

    public static TheoryData<string, string, bool, string> Checkpoints => new()
    {
        { "llama", "F32", false, "{}" },
        { "llama", "BF16", true, """{"rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 64}}""" },
        { "llama", "F16", false, """{"tie_word_embeddings": true, "num_key_value_heads": 1}""" }, // SmolLM2's shape
        { "mistral", "F16", true, """{"head_dim": 6, "sliding_window": 4096, "rope_theta": 1000000.0}""" },
        { "qwen2", "F32", true, """{"tie_word_embeddings": true, "rms_norm_eps": 1e-6}""" },
        { "qwen2", "BF16", false, """{"num_key_value_heads": 4}""" },
    };

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [MemberData(nameof(Checkpoints))]
    public void Logits_match_a_plain_torch_forward_with_and_without_the_cache(string modelType, string dtype, bool sharded, string overrides)
    {
        Stories260K.UseTestThreads();
        var config = HfCheckpointFixture.Config(modelType, System.Text.Json.JsonDocument.Parse(overrides).RootElement);
        var reference = HfCheckpointFixture.Write(directory, config, dtype, sharded);
        using var model = HfCheckpoint.Load(directory);
        using var noGrad = no_grad();
        var ids = HfCheckpointFixture.Tokens;
        using var tokens = tensor(ids.Select(t => (long)t).ToArray(), [1, ids.Length]);

        using var full = model.forward(tokens, null);
        AssertClose(reference, full[0]);

        using var cache = model.NewCache([0]);
        using var prefill = model.forward(tokens.narrow(1, 0, 5), cache);
        AssertClose(reference[..5], prefill[0]);
        for (var pos = 5; pos < ids.Length; pos++)
        {
            using var step = model.NextTokenLogits(tokens.narrow(1, pos, 1), cache);
            AssertClose(reference[pos..(pos + 1)], step);
        }
    }

    /// <summary>
    /// Head size 16 at theta 1e4 puts three rotary wavelengths (19.9, 35.3 and 62.8 positions) between
    /// original_max_position_embeddings / high_freq_factor and / low_freq_factor, the band Llama 3.1 interpolates;
    /// 40 positions turn them far enough for a wrong frequency to move the logits.
    /// </summary>
    [Fact]
    public void Llama3_rope_scaling_interpolates_the_smooth_band_as_transformers_does()
    {
        Stories260K.UseTestThreads();
        const int original = 64, headDim = 16;
        const double low = 1, high = 4, theta = 10000;
        var wavelengths = Enumerable.Range(0, headDim / 2).Select(i => 2 * Math.PI * Math.Pow(theta, 2.0 * i / headDim)).ToList();
        Assert.Contains(wavelengths, w => w > original / high && w < original / low);
        var scaling = new { rope_type = "llama3", factor = 8.0, low_freq_factor = low, high_freq_factor = high, original_max_position_embeddings = original };
        var config = HfCheckpointFixture.Config("llama", new { head_dim = headDim, rope_theta = theta, max_position_embeddings = 128, rope_scaling = scaling });
        int[] ids = [.. Enumerable.Range(0, 40).Select(i => (i * 7 + 3) % 40)];
        var reference = HfCheckpointFixture.Write(directory, config, "F32", sharded: false, tokens: ids);
        using var noGrad = no_grad();
        using var tokens = tensor(ids.Select(t => (long)t).ToArray(), [1, ids.Length]);

        using (var model = HfCheckpoint.Load(directory))
        using (var logits = model.forward(tokens, null))
        {
            AssertClose(reference, logits[0]);
        }

        // The control: the same weights with the band cut to nothing (high_freq_factor just above low_freq_factor) keep
        // those three frequencies unscaled, a hard cut as before Llama 3.1, and must not match.
        var cut = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "config.json")))!;
        cut["rope_scaling"]!["high_freq_factor"] = low + 1e-6;
        File.WriteAllText(Path.Combine(directory, "config.json"), cut.ToJsonString());
        using var hardCut = HfCheckpoint.Load(directory);
        using var controlLogits = hardCut.forward(tokens, null);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertClose(reference, controlLogits[0]));
    }

    private static void AssertClose(float[][] expected, Tensor actual)
    {
        var values = actual.data<float>().ToArray();
        var vocab = expected[0].Length;
        Assert.Equal(expected.Length * vocab, values.Length);
        var worst = Enumerable.Range(0, values.Length).MaxBy(i => Math.Abs(expected[i / vocab][i % vocab] - values[i]));
        var difference = Math.Abs(expected[worst / vocab][worst % vocab] - values[worst]);
        Assert.True(difference < 1e-4, $"logit {worst % vocab} at row {worst / vocab}: {values[worst]} vs {expected[worst / vocab][worst % vocab]}");
    }
}
