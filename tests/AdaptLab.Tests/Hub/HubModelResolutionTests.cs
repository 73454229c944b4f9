using AdaptLab.Cli;
using AdaptLab.Core.Tasks;
using AdaptLab.Tests.Support;
using Microsoft.Extensions.AI;

namespace AdaptLab.Tests.Hub;

/// <summary>
/// <c>local:hf:org/name</c> through the CLI's providers, configured the way a user does it, by environment
/// variables (which is why these tests share one class: xunit runs a class's tests one at a time).
/// </summary>
public sealed class HubModelResolutionTests : IDisposable
{
    private static readonly string[] Variables = ["HF_ENDPOINT", "HF_TOKEN", "ADAPTLAB_CACHE", "ADAPTLAB_MODELS_DIR"];

    private readonly Dictionary<string, string?> saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
    private readonly TempDir dir = new();

    [Fact]
    public async Task A_hub_model_is_downloaded_into_the_cache_and_opened_from_there()
    {
        await using var hub = new FakeHub();
        TestCheckpoint.Write(dir.Path("source"));
        var commit = hub.Add("test-org/tiny-llama", dir.Path("source"), requiredToken: "hf_secret");
        Set(("HF_ENDPOINT", hub.Endpoint.ToString()), ("HF_TOKEN", "hf_secret"), ("ADAPTLAB_CACHE", dir.Path("cache")));

        // Until the engine opens Hugging Face folders, opening fails; the message shows where the files went.
        var error = Assert.Throws<InvalidOperationException>(() => Create("local:hf:test-org/tiny-llama@main"));

        var snapshot = dir.Path("cache", "test-org", "tiny-llama", "snapshots", commit);
        Assert.Contains($"downloaded to {snapshot}", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(snapshot, "model.safetensors")));
        Assert.Contains(hub.Requests, r => r.Authorization == "Bearer hf_secret");
    }

    [Fact]
    public async Task A_model_in_the_offline_folder_runs_without_a_hub()
    {
        var offline = dir.Path("offline", "karpathy", "stories260K");
        Directory.CreateDirectory(offline);
        foreach (var file in new[] { "stories260K.bin", "tok512.bin" })
        {
            File.Copy(SharedData.Path("models", "stories260K", file), Path.Combine(offline, file));
        }

        // An endpoint nothing listens on: any request would fail.
        Set(("HF_ENDPOINT", "http://127.0.0.1:9"), ("ADAPTLAB_CACHE", dir.Path("cache")), ("ADAPTLAB_MODELS_DIR", dir.Path("offline")));
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 16 };

        using var fromHubName = Create("local:hf:karpathy/stories260K");
        using var fromPath = Create("local:" + SharedData.Path("models", "stories260K"));

        Assert.Equal((await fromPath.GetResponseAsync("Once upon a time", options)).Text, (await fromHubName.GetResponseAsync("Once upon a time", options)).Text);
    }

    [Fact]
    public void A_malformed_hub_id_is_a_clear_error()
    {
        Set(("ADAPTLAB_CACHE", dir.Path("cache")));

        var error = Assert.Throws<InvalidOperationException>(() => Create("local:hf:not-a-repo"));

        Assert.Contains("expected org/name[@revision]", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var (name, value) in saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        dir.Dispose();
    }

    private static IChatClient Create(string reference) =>
        CliContext.DefaultProviders().Create(new ModelSpec(reference, null, null, null, null));

    private static void Set(params (string Name, string Value)[] variables)
    {
        foreach (var name in Variables)
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        foreach (var (name, value) in variables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
