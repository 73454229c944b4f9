namespace AdaptLab.Retrieval.Ingest;

/// <summary>The corpus files under the configured paths, in a stable order, each with its id (its path relative to the folder given).</summary>
internal static class CorpusFiles
{
    /// <returns>The files to read, and the files of other types under the folders (skipped with a warning).</returns>
    public static (IReadOnlyList<(string Path, string Id, long Bytes)> Files, IReadOnlyList<string> Skipped) Find(IReadOnlyList<string> paths)
    {
        var found = new List<(string, string, long)>();
        var skipped = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                found.Add((path, Path.GetFileName(path), new FileInfo(path).Length));
            }
            else if (Directory.Exists(path))
            {
                var all = Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
                    .Order(StringComparer.Ordinal)
                    .ToList();
                skipped.AddRange(all.Where(f => !DocumentReader.IsSupported(f)));
                found.AddRange(all.Where(DocumentReader.IsSupported).Select(f => (f, Path.GetRelativePath(path, f).Replace('\\', '/'), new FileInfo(f).Length)));
            }
            else
            {
                throw new InputException(path, null, null, "not found");
            }
        }

        return (found, skipped);
    }
}
