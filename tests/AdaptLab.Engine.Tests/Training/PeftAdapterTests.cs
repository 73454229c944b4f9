using System.Text.Json.Nodes;
using AdaptLab.Abstractions;
using AdaptLab.Engine.HuggingFace;
using AdaptLab.Engine.Llama;
using AdaptLab.Engine.Tests.HuggingFace;
using AdaptLab.Engine.Training;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Tests.Training;

/// <summary>
/// The LoRA adapter files against PEFT's definition: hf_reference.py applies them as PEFT merges an adapter (W + (alpha/r)·B·A
/// in Hugging Face's layout, modules_to_save replacing their modules) and runs its own forward; the engine's model with the
/// adapters attached, and the base with the file merged in, must give its logits.
/// </summary>
[Collection(TorchGeneratorCollection.Name)]
public sealed class PeftAdapterTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("peft-adapter-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    public static TheoryData<string, string> Shapes => new()
    {
        { """{}""", "embed_tokens,lm_head" },
        { """{"tie_word_embeddings": true, "num_key_value_heads": 1}""", "lm_head" }, // SmolLM2's shape: one table for both
        { """{"num_key_value_heads": 4}""", "" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_adapter_file_applied_as_PEFT_does_gives_the_adapted_models_logits(string overrides, string modulesToSave)
    {
        Stories260K.UseTestThreads();
        var config = HfCheckpointFixture.Config("llama", System.Text.Json.JsonDocument.Parse(overrides).RootElement);
        var baseFolder = Path.Combine(directory, "base");
        var baseLogits = HfCheckpointFixture.Write(baseFolder, config, "F32", sharded: false);
        var options = new LoraOptions(4, 8, 0, LoraOptions.AllProjections, modulesToSave.Split(',', StringSplitOptions.RemoveEmptyEntries));
        var adapterFolder = Path.Combine(directory, "adapter");
        using var tokens = Tokens();

        float[] adapted;
        using (var model = HfCheckpoint.Load(baseFolder))
        {
            var weights = Perturbed(model, options);
            PeftAdapter.Save(adapterFolder, model, weights.Adapters, options, baseFolder);
            using var noGrad = no_grad();
            using var logits = model.forward(tokens, null);
            adapted = logits.data<float>().ToArray();
        }

        var reference = HfCheckpointFixture.Write(baseFolder, config, "F32", sharded: false, adapter: adapterFolder);
        AssertClose(reference, adapted);
        Assert.True(MaxDifference(baseLogits, adapted) > 0.1, "the perturbed adapters did not move the logits: the check could not fail");

        using var merged = HfCheckpoint.Load(baseFolder);
        PeftAdapter.MergeInto(merged, adapterFolder);
        using (no_grad())
        using (var logits = merged.forward(tokens, null))
        {
            AssertClose(reference, logits.data<float>().ToArray());
        }
    }

    [Fact]
    public void The_adapter_folder_has_PEFTs_keys_shapes_and_config()
    {
        Stories260K.UseTestThreads();
        var config = HfCheckpointFixture.Config("llama", new { tie_word_embeddings = true });
        var baseFolder = Path.Combine(directory, "base");
        HfCheckpointFixture.Write(baseFolder, config, "F32", sharded: false);
        var options = new LoraOptions(4, 16, 0.05, ["q_proj", "v_proj"], ["embed_tokens"]);
        using var model = HfCheckpoint.Load(baseFolder);
        var weights = TrainableWeights.Lora(model, options);
        var adapterFolder = Path.Combine(directory, "adapter");

        PeftAdapter.Save(adapterFolder, model, weights.Adapters, options, baseFolder);

        using var file = SafeTensorsFile.Open(Path.Combine(adapterFolder, PeftAdapter.WeightsFile));
        var expected = new Dictionary<string, long[]>
        {
            ["base_model.model.model.embed_tokens.weight"] = [40, 16],
            ["base_model.model.lm_head.weight"] = [40, 16], // tied: PEFT unties them, so both go
        };
        for (var layer = 0; layer < 2; layer++)
        {
            expected[$"base_model.model.model.layers.{layer}.self_attn.q_proj.lora_A.weight"] = [4, 16];
            expected[$"base_model.model.model.layers.{layer}.self_attn.q_proj.lora_B.weight"] = [16, 4];
            expected[$"base_model.model.model.layers.{layer}.self_attn.v_proj.lora_A.weight"] = [4, 16];
            expected[$"base_model.model.model.layers.{layer}.self_attn.v_proj.lora_B.weight"] = [8, 4];
        }

        Assert.Equal(expected.Keys.Order(), file.Entries.Keys.Order());
        Assert.All(expected, e => Assert.Equal(e.Value, file.Entries[e.Key].Shape));
        var adapterConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(adapterFolder, PeftAdapter.ConfigFile)))!;
        Assert.Equal("LORA", (string)adapterConfig["peft_type"]!);
        Assert.Equal("CAUSAL_LM", (string)adapterConfig["task_type"]!);
        Assert.Equal(4, (int)adapterConfig["r"]!);
        Assert.Equal(16, (double)adapterConfig["lora_alpha"]!);
        Assert.Equal(0.05, (double)adapterConfig["lora_dropout"]!);
        Assert.Equal(["q_proj", "v_proj"], adapterConfig["target_modules"]!.AsArray().Select(m => (string)m!));
        Assert.Equal(["embed_tokens", "lm_head"], adapterConfig["modules_to_save"]!.AsArray().Select(m => (string)m!));
        Assert.Equal("none", (string)adapterConfig["bias"]!);
        Assert.Equal(baseFolder, (string)adapterConfig["base_model_name_or_path"]!);
        Assert.Equal(baseFolder, PeftAdapter.BaseOf(adapterFolder));
    }

    [Fact]
    public void An_adapter_the_engine_cannot_apply_is_refused_with_its_file_named()
    {
        Stories260K.UseTestThreads();
        var baseFolder = Path.Combine(directory, "base");
        HfCheckpointFixture.Write(baseFolder, HfCheckpointFixture.Config("llama"), "F32", sharded: false);
        var adapterFolder = Path.Combine(directory, "adapter");
        var options = new LoraOptions(2, 4, 0, ["q_proj"], []);
        using var model = HfCheckpoint.Load(baseFolder);
        PeftAdapter.Save(adapterFolder, model, TrainableWeights.Lora(model, options).Adapters, options, baseFolder);
        var configPath = Path.Combine(adapterFolder, PeftAdapter.ConfigFile);
        var good = File.ReadAllText(configPath);
        using var fresh = HfCheckpoint.Load(baseFolder);
        PeftAdapter.MergeInto(fresh, adapterFolder); // the positive control: as written, it applies

        foreach (var (from, to) in new[] { ("\"LORA\"", "\"IA3\""), ("\"use_dora\": false", "\"use_dora\": true"), ("\"r\": 2", "\"r\": 3") })
        {
            File.WriteAllText(configPath, good.Replace(from, to, StringComparison.Ordinal));
            var error = Assert.Throws<FormatException>(() => PeftAdapter.MergeInto(fresh, adapterFolder));
            Assert.Contains(adapterFolder, error.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>LoRA on every projection with B (zero at the start) and the saved modules moved at random, so each shows in the logits.</summary>
    private static TrainableWeights Perturbed(LlamaModel model, LoraOptions options)
    {
        var weights = TrainableWeights.Lora(model, options);
        using var noGrad = no_grad();
        foreach (var (_, _, adapter) in weights.Adapters)
        {
            adapter.B.copy_(randn(adapter.B.shape) * 0.3);
        }

        foreach (var (name, parameter) in weights.Named.Where(n => !n.Name.Contains(".lora_", StringComparison.Ordinal)))
        {
            parameter.add_(randn(parameter.shape) * 0.1);
        }

        return weights;
    }

    private static Tensor Tokens() => tensor(HfCheckpointFixture.Tokens.Select(t => (long)t).ToArray(), [1, HfCheckpointFixture.Tokens.Length]);

    private static double MaxDifference(float[][] expected, float[] actual) =>
        Enumerable.Range(0, actual.Length).Max(i => Math.Abs(expected[i / expected[0].Length][i % expected[0].Length] - actual[i]));

    private static void AssertClose(float[][] expected, float[] actual)
    {
        Assert.Equal(expected.Length * expected[0].Length, actual.Length);
        var difference = MaxDifference(expected, actual);
        Assert.True(difference < 1e-4, $"logits differ by up to {difference}");
    }
}
