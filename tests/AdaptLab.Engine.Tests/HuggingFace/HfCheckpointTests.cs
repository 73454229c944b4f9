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
