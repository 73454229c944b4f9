using System.Text;
using System.Text.Json.Nodes;
using AdaptLab.Engine.HuggingFace;

namespace AdaptLab.Engine.Tests.HuggingFace;

public sealed class HfCheckpointErrorTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("hf-errors-").FullName;

    public HfCheckpointErrorTests() => HfCheckpointFixture.Write(directory, HfCheckpointFixture.Config("llama"), "F32", sharded: false);

    private string Weights => Path.Combine(directory, "model.safetensors");

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void A_missing_weights_file_is_named()
    {
        File.Delete(Weights);
        var error = Assert.Throws<FileNotFoundException>(() => HfCheckpoint.Load(directory));
        Assert.Contains("model.safetensors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tensor_the_config_needs_but_the_file_lacks_is_named()
    {
        EditConfig(c => c["num_hidden_layers"] = 3);
        var error = Assert.Throws<FormatException>(() => HfCheckpoint.Load(directory));
        Assert.Contains("missing tensor model.layers.2.", error.Message, StringComparison.Ordinal);
        Assert.Contains(Weights, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tensor_the_config_does_not_use_is_named()
    {
        EditConfig(c => c["num_hidden_layers"] = 1);
        var error = Assert.Throws<FormatException>(() => HfCheckpoint.Load(directory));
        Assert.Contains("holds tensor model.layers.1.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shape_mismatch_names_the_tensor_and_both_shapes()
    {
        EditConfig(c => c["intermediate_size"] = 41);
        var error = Assert.Throws<FormatException>(() => HfCheckpoint.Load(directory));
        Assert.Contains("model.layers.0.mlp.gate_proj.weight has shape [40, 16]; config.json implies [41, 16]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsupported_dtype_names_the_file_and_tensor()
    {
        // I32 has F32's width, so only the header's dtype changes.
        var bytes = File.ReadAllBytes(Weights);
        var header = Encoding.UTF8.GetString(bytes, 8, (int)BitConverter.ToUInt64(bytes, 0));
        var patched = header.Replace("\"model.norm.weight\": {\"dtype\": \"F32\"", "\"model.norm.weight\": {\"dtype\": \"I32\"", StringComparison.Ordinal);
        Assert.NotEqual(header, patched);
        Encoding.UTF8.GetBytes(patched).CopyTo(bytes, 8);
        File.WriteAllBytes(Weights, bytes);

        var error = Assert.Throws<FormatException>(() => HfCheckpoint.Load(directory));
        Assert.Contains($"{Weights}: tensor model.norm.weight has dtype I32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_file_is_a_format_error()
    {
        var bytes = File.ReadAllBytes(Weights);
        File.WriteAllBytes(Weights, bytes[..^4]);
        var error = Assert.Throws<FormatException>(() => HfCheckpoint.Load(directory));
        Assert.Contains(Weights, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsupported_architecture_is_refused()
    {
        EditConfig(c => c["model_type"] = "gpt2");
        var error = Assert.Throws<FormatException>(() => HfCheckpoint.Load(directory));
        Assert.Contains("model_type 'gpt2' is not supported", error.Message, StringComparison.Ordinal);
    }

    private void EditConfig(Action<JsonObject> edit)
    {
        var path = Path.Combine(directory, HfCheckpoint.ConfigFile);
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(config);
        File.WriteAllText(path, config.ToJsonString());
    }
}
