namespace AdaptLab.Tests.Support;

/// <summary>
/// Finds the read-only <c>shared/</c> folder that sits beside the repository (datasets, models,
/// metric vectors). Set ADAPTLAB_SHARED to use another location. A missing file fails the test
/// with a message that says where the file comes from, never silently.
/// </summary>
public static class SharedData
{
    private static readonly Lazy<string?> Root = new(FindRoot);

    public static string Path(params string[] parts)
    {
        var root = Root.Value ?? throw new InvalidOperationException(
            "The shared data folder was not found: put it beside the repository as ../shared or set ADAPTLAB_SHARED. " +
            "Its public sources are listed in docs/data-sources.md.");
        var path = System.IO.Path.Combine([root, .. parts]);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new InvalidOperationException(
                $"Missing shared file {path}. Its public source is listed in docs/data-sources.md.");
        }

        return path;
    }

    private static string? FindRoot()
    {
        var fromEnv = Environment.GetEnvironmentVariable("ADAPTLAB_SHARED");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return Directory.Exists(fromEnv) ? fromEnv : null;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(System.IO.Path.Combine(candidate, "datasets")) && dir.FullName != "/")
            {
                return candidate;
            }
        }

        return null;
    }
}
