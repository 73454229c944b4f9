namespace AdaptLab.Core.Models.Hub;

/// <summary>
/// The cache's layout: <c>{root}/{org}/{name}/snapshots/{commit}/</c> holds a commit's files and
/// <c>{root}/{org}/{name}/refs/{revision}</c> the commit a revision pointed to. A ref is written only once
/// every file of its snapshot is downloaded and verified, so a ref means a complete snapshot.
/// </summary>
internal sealed class HubCache(string root)
{
    public string SnapshotDirectory(HubModelId model, string commit) =>
        Path.Combine(RepositoryDirectory(model), "snapshots", commit);

    /// <summary>The snapshot a revision was last downloaded as, or null when it never completed.</summary>
    public string? FindSnapshot(HubModelId model)
    {
        var reference = RefPath(model);
        if (!File.Exists(reference))
        {
            return null;
        }

        var commit = File.ReadAllText(reference).Trim();
        var snapshot = SnapshotDirectory(model, commit);
        return HubCommit.IsCommit(commit) && Directory.Exists(snapshot) ? snapshot : null;
    }

    public void WriteRef(HubModelId model, string commit)
    {
        var path = RefPath(model);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, commit);
        File.Move(temp, path, overwrite: true);
    }

    private string RepositoryDirectory(HubModelId model) => Path.Combine(root, model.Organization, model.Name);

    // Revisions may hold '/' (refs/pr/1); escaped, each is one file name.
    private string RefPath(HubModelId model) => Path.Combine(RepositoryDirectory(model), "refs", Uri.EscapeDataString(model.Revision));
}
