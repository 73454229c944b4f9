using AdaptLab.Core.Models.Hub;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests.Hub;

public sealed class HubDownloaderTests : IAsyncLifetime
{
    private const string Repo = "test-org/tiny-llama";
    private static readonly string[] NeededFiles =
        ["config.json", "generation_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"];

    private readonly TempDir dir = new();
    private readonly FakeHub hub = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await hub.DisposeAsync();
        dir.Dispose();
    }

    [Fact]
    public async Task Downloads_the_needed_files_into_a_snapshot_per_commit_and_then_needs_no_request()
    {
        var source = Checkpoint("source");
        var commit = hub.Add(Repo, source);
        var progress = new List<HubDownloadProgress>();
        using var downloader = Downloader();

        var folder = await downloader.DownloadAsync(HubModelId.Parse(Repo), new SyncProgress(progress.Add));

        Assert.Equal(dir.Path("cache", "test-org", "tiny-llama", "snapshots", commit), folder);
        Assert.Equal(NeededFiles, Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        AssertSameFiles(source, folder);
        var weights = new FileInfo(Path.Combine(source, "model.safetensors")).Length;
        Assert.Contains(progress, p => p.File == "model.safetensors" && p.Downloaded == weights && p.Total == weights && p.FileCount == 5);
        Assert.Contains(hub.Requests, r => r.Url.AbsolutePath == $"/api/models/{Repo}/revision/main");
        Assert.Contains(hub.Requests, r => r.Url.AbsolutePath == $"/{Repo}/resolve/{commit}/model.safetensors");
        Assert.Contains(hub.Requests, r => r.Url.AbsolutePath.StartsWith("/cdn/", StringComparison.Ordinal));

        var before = hub.Requests.Count;
        using var again = Downloader();
        Assert.Equal(folder, await again.DownloadAsync(HubModelId.Parse(Repo)));
        Assert.Equal(before, hub.Requests.Count);
    }

    [Fact]
    public async Task Downloads_the_shards_a_safetensors_index_names()
    {
        var source = Checkpoint("source", shards: 2);
        hub.Add(Repo, source);
        using var downloader = Downloader();

        var folder = await downloader.DownloadAsync(HubModelId.Parse(Repo + "@main"));

        var shards = Enumerable.Range(1, 2).Select(i => $"model-{i:00000}-of-00002.safetensors");
        Assert.Equal(
            NeededFiles.Where(f => f != "model.safetensors").Concat(shards).Append("model.safetensors.index.json").Order(StringComparer.Ordinal),
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        AssertSameFiles(source, folder);
    }

    [Fact]
    public async Task Resumes_a_transfer_cut_off_mid_file_with_a_range_request()
    {
        var source = Checkpoint("source");
        hub.Add(Repo, source);
        hub.CutOnce = ("model.safetensors", 50_000);
        using var downloader = Downloader();

        var folder = await downloader.DownloadAsync(HubModelId.Parse(Repo));

        AssertSameFiles(source, folder);
        var cdn = hub.Requests.Where(r => r.Url.AbsolutePath.StartsWith("/cdn/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, cdn.Count);
        Assert.Null(cdn[0].Range);
        var resumedAt = long.Parse(cdn[1].Range!["bytes=".Length..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(resumedAt, 1, 50_000);
        Assert.Empty(Directory.GetFiles(folder, "*.incomplete"));
    }

    [Fact]
    public async Task Resumes_the_partial_file_a_killed_download_left()
    {
        var source = Checkpoint("source");
        var commit = hub.Add(Repo, source);
        var snapshot = dir.Path("cache", "test-org", "tiny-llama", "snapshots", commit);
        Directory.CreateDirectory(snapshot);
        var weights = await File.ReadAllBytesAsync(Path.Combine(source, "model.safetensors"));
        await File.WriteAllBytesAsync(Path.Combine(snapshot, "model.safetensors.incomplete"), weights[..12_345]);
        using var downloader = Downloader();

        await downloader.DownloadAsync(HubModelId.Parse(Repo));

        AssertSameFiles(source, snapshot);
        Assert.Contains(hub.Requests, r => r.Range == "bytes=12345-");
    }

    [Fact]
    public async Task A_sha256_mismatch_deletes_the_download_and_says_so()
    {
        hub.Add(Repo, Checkpoint("source"));
        hub.WrongHashFor = "model.safetensors";
        using var downloader = Downloader();

        var error = await Assert.ThrowsAsync<HubDownloadException>(() => downloader.DownloadAsync(HubModelId.Parse(Repo)));

        Assert.Contains("model.safetensors has SHA-256", error.Message, StringComparison.Ordinal);
        Assert.Contains("deleted, run again", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Path("cache"), "model.safetensors*", SearchOption.AllDirectories));
        Assert.Null(downloader.FindLocal(HubModelId.Parse(Repo)));
    }

    [Fact]
    public async Task A_size_mismatch_deletes_the_download_and_says_so()
    {
        hub.Add(Repo, Checkpoint("source"));
        hub.WrongSizeFor = "model.safetensors";
        using var downloader = Downloader();

        var error = await Assert.ThrowsAsync<HubDownloadException>(() => downloader.DownloadAsync(HubModelId.Parse(Repo)));

        Assert.Matches("model.safetensors is [0-9]+ bytes but the hub said [0-9]+; the download was deleted, run again", error.Message);
        Assert.Empty(Directory.GetFiles(dir.Path("cache"), "model.safetensors*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task The_offline_folder_is_used_first_without_any_request()
    {
        hub.Add(Repo, Checkpoint("source"));
        var offline = dir.Path("offline");
        TestCheckpoint.Write(Path.Combine(offline, "test-org", "tiny-llama"));
        using var downloader = Downloader(offline: offline);

        var folder = await downloader.DownloadAsync(HubModelId.Parse(Repo));

        Assert.Equal(Path.Combine(offline, "test-org", "tiny-llama"), folder);
        Assert.Empty(hub.Requests);
    }

    [Fact]
    public async Task A_gated_repository_needs_the_token_which_goes_to_the_hub_only()
    {
        var source = Checkpoint("source");
        hub.Add(Repo, source, requiredToken: "hf_secret");
        using var anonymous = Downloader();

        var refused = await Assert.ThrowsAsync<HubDownloadException>(() => anonymous.DownloadAsync(HubModelId.Parse(Repo)));
        Assert.Contains("(401)", refused.Message, StringComparison.Ordinal);
        Assert.Contains("HF_TOKEN", refused.Message, StringComparison.Ordinal);

        using var authorized = Downloader(token: "hf_secret");
        var folder = await authorized.DownloadAsync(HubModelId.Parse(Repo));

        AssertSameFiles(source, folder);
        var sent = hub.Requests.Where(r => r.Authorization is not null).ToList();
        Assert.All(sent, r => Assert.Equal("Bearer hf_secret", r.Authorization));
        Assert.Contains(sent, r => r.Url.AbsolutePath.StartsWith("/api/models/", StringComparison.Ordinal));
        Assert.Contains(sent, r => r.Url.AbsolutePath.EndsWith("/model.safetensors", StringComparison.Ordinal));
        Assert.DoesNotContain(hub.Requests, r => r.Url.AbsolutePath.StartsWith("/cdn/", StringComparison.Ordinal) && r.Authorization is not null);
        Assert.DoesNotContain("hf_secret", string.Concat(Directory.GetFiles(dir.Path("cache"), "*", SearchOption.AllDirectories).Select(File.ReadAllText)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("test-org/missing", "the repository listing was not found (404)")]
    [InlineData("test-org/tiny-llama@no-such-branch", "the repository listing was not found (404)")]
    public async Task An_unknown_repository_or_revision_is_a_clear_404(string model, string expected)
    {
        var repo = dir.Path("source");
        TestCheckpoint.Write(repo);
        hub.Add(Repo, repo);
        using var downloader = Downloader();

        var error = await Assert.ThrowsAsync<HubDownloadException>(() => downloader.DownloadAsync(HubModelId.Parse(model)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_network_says_how_to_work_offline()
    {
        var closed = hub.Endpoint;
        await hub.DisposeAsync();
        using var downloader = new HubDownloader(new HubOptions(closed, dir.Path("cache")));

        var error = await Assert.ThrowsAsync<HubDownloadException>(() => downloader.DownloadAsync(HubModelId.Parse(Repo)));

        Assert.Contains($"cannot reach {closed}", error.Message, StringComparison.Ordinal);
        Assert.Contains("ADAPTLAB_MODELS_DIR", error.Message, StringComparison.Ordinal);
    }

    private string Checkpoint(string name, int shards = 1)
    {
        var folder = dir.Path(name);
        TestCheckpoint.Write(folder, shards);
        return folder;
    }

    private HubDownloader Downloader(string? offline = null, string? token = null) =>
        new(new HubOptions(hub.Endpoint, dir.Path("cache"), offline, token) { Retries = 2 });

    private static void AssertSameFiles(string source, string downloaded)
    {
        foreach (var file in Directory.GetFiles(downloaded))
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(source, Path.GetFileName(file))), File.ReadAllBytes(file));
        }
    }

    private sealed class SyncProgress(Action<HubDownloadProgress> report) : IProgress<HubDownloadProgress>
    {
        public void Report(HubDownloadProgress value) => report(value);
    }
}
