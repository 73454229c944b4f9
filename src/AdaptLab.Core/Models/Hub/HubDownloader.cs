namespace AdaptLab.Core.Models.Hub;

/// <summary>
/// Fetches the files a local model needs from a Hugging Face hub into the cache, the way the hub serves
/// them: the revision's listing from <c>/api/models/{repo}/revision/{rev}</c>, then each file from
/// <c>/{repo}/resolve/{commit}/{file}</c>. A model found in the offline folder or complete in the cache is
/// used without any request.
/// </summary>
internal sealed class HubDownloader(HubOptions options) : IDisposable
{
    private readonly HubHttp http = new(options);
    private readonly HubCache cache = new(options.CacheDirectory);

    /// <summary>The model's folder if it is on disk already (offline folder first, then the cache); no request is made.</summary>
    public string? FindLocal(HubModelId model)
    {
        if (options.OfflineDirectory is { } offline)
        {
            var folder = Path.Combine(offline, model.Organization, model.Name);
            if (Directory.Exists(folder) && Directory.EnumerateFiles(folder).Any())
            {
                return folder;
            }
        }

        return cache.FindSnapshot(model);
    }

    /// <summary>The model's folder, downloading what is missing.</summary>
    /// <exception cref="HubDownloadException">The hub refused, was unreachable, or sent files that failed verification.</exception>
    public async Task<string> DownloadAsync(HubModelId model, IProgress<HubDownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (FindLocal(model) is { } local)
        {
            return local;
        }

        var listing = await ListAsync(model, cancellationToken);
        var snapshot = cache.SnapshotDirectory(model, listing.Commit);
        var files = HubFileSelection.Select(listing, model).ToList();
        var transfer = new HubFileTransfer(http, options, model);
        for (var i = 0; i < files.Count; i++)
        {
            var name = HubFileSelection.CheckedRelativePath(files[i], model);
            var target = Path.Combine(snapshot, name);
            if (!File.Exists(target))
            {
                var number = i + 1;
                await transfer.DownloadAsync(ResolveUrl(model, listing.Commit, name), target, name,
                    (done, total) => progress?.Report(new HubDownloadProgress(name, done, total, number, files.Count)), cancellationToken);
            }

            if (name == HubFileSelection.WeightsIndex)
            {
                files.AddRange(HubFileSelection.Shards(target, listing, model));
            }
        }

        cache.WriteRef(model, listing.Commit);
        return snapshot;
    }

    public void Dispose() => http.Dispose();

    private async Task<HubRepositoryListing> ListAsync(HubModelId model, CancellationToken cancellationToken)
    {
        var url = HubUrl($"api/models/{model.Repository}/revision/{Uri.EscapeDataString(model.Revision)}");
        try
        {
            using var response = await http.GetAsync(url, null, cancellationToken);
            if (!response.Message.IsSuccessStatusCode)
            {
                throw HubErrors.Refused(response.Message, model, "the repository listing", options.Token is not null);
            }

            return HubRepositoryListing.Parse(await response.Message.Content.ReadAsStringAsync(cancellationToken), model);
        }
        catch (HttpRequestException e)
        {
            throw HubErrors.Unreachable(e, options, model);
        }
    }

    private Uri ResolveUrl(HubModelId model, string commit, string file) =>
        HubUrl($"{model.Repository}/resolve/{commit}/{string.Join('/', file.Split('/').Select(Uri.EscapeDataString))}");

    // Appended rather than resolved, so an endpoint with a path (a mirror at https://host/hf) keeps it.
    private Uri HubUrl(string path) => new(options.Endpoint.AbsoluteUri.TrimEnd('/') + "/" + path);
}
