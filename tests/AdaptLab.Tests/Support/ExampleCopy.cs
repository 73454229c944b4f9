namespace AdaptLab.Tests.Support;

/// <summary>An example's files copied into a test's folder, its task files pointed at ../shared's models and datasets from there.</summary>
public static class ExampleCopy
{
    /// <param name="folder">The sub-folder of <paramref name="dir"/> the files go to.</param>
    /// <param name="example">The folder under examples/.</param>
    /// <param name="files">Paths relative to the example; the first is the task file.</param>
    /// <returns>The copy of the first file.</returns>
    public static string Into(TempDir dir, string folder, string example, params string[] files)
    {
        foreach (var file in files)
        {
            var text = File.ReadAllText(RepoPaths.Path("examples", example, file));
            dir.Write($"{folder}/{file}", file.EndsWith(".yaml", StringComparison.Ordinal)
                ? text.Replace("../../../shared/models/", SharedData.Path("models") + "/", StringComparison.Ordinal)
                    .Replace("../../../shared/datasets/", SharedData.Path("datasets") + "/", StringComparison.Ordinal)
                : text);
        }

        return dir.Path(folder, files[0]);
    }
}
