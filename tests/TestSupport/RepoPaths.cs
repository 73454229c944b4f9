namespace AdaptLab.Tests.Support;

/// <summary>Paths inside this repository, found from the test binaries' location.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootDir = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "AdaptLab.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AdaptLab.slnx not found above " + AppContext.BaseDirectory);
    });

    public static string Root => RootDir.Value;

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);
}
