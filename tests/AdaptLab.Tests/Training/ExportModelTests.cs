using System.Text.Json.Nodes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests.Training;

/// <summary><c>adaptlab export-model</c>: the command around the engine's GGUF export (whose output llama.cpp checks in the engine's tests).</summary>
public sealed class ExportModelTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public async Task A_local_model_exports_to_a_GGUF_file_and_says_what_each_tensor_became()
    {
        var result = await AdaptLabCli.RunAsync("export-model", "local:" + SharedData.Path("models", "stories260K"), "--gguf", dir.Path("s.gguf"), "--type", "q8_0", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("GGUF"u8.ToArray(), File.ReadAllBytes(dir.Path("s.gguf"))[..4]);
        var tensors = JsonNode.Parse(result.Output)!["tensors"]!;
        Assert.Equal(31, (int)tensors["q8_0"]!); // 5 layers × q, k, v, o, gate, up and the embedding
        Assert.Equal(5, (int)tensors["f16"]!);   // ffn_down's rows of 172 do not split into blocks of 32
        Assert.Equal(11, (int)tensors["f32"]!);  // the norms
    }

    [Fact]
    public async Task A_missing_model_or_an_unknown_type_is_refused_and_writes_nothing()
    {
        var missing = await AdaptLabCli.RunAsync("export-model", dir.Path("nowhere"), "--gguf", dir.Path("a.gguf"));
        var type = await AdaptLabCli.RunAsync("export-model", SharedData.Path("models", "stories260K"), "--gguf", dir.Path("b.gguf"), "--type", "q4_k");

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no model file or folder", missing.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, type.ExitCode);
        Assert.Contains("q4_k", type.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.Path("a.gguf")) || File.Exists(dir.Path("b.gguf")));
    }
}
