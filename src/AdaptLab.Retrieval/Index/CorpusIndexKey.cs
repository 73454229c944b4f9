using System.Security.Cryptography;
using System.Text;
using AdaptLab.Retrieval.Ingest;

namespace AdaptLab.Retrieval.Index;

/// <summary>
/// Names a corpus's default index file by what it indexes, never by the task that reads it: task files that read
/// the same sources the same way (a renamed copy, another set of variants) share one index and its embeddings.
/// </summary>
/// <remarks>
/// The key is the reading settings and the sources' paths, not their content. An edited corpus keeps its index,
/// which reads and embeds again only the files that changed (it tracks each file's content hash, and its version
/// records the content for runs); a content key would start a fresh index on every edit, embed the whole corpus
/// again and leave the old file behind. A settings change cuts every file again anyway, so it gets a file of its
/// own, and switching back finds the old one as it was.
/// </remarks>
public static class CorpusIndexKey
{
    /// <param name="folder">The folder the paths are taken relative to (the task file's, where the index lies), so a project moved whole keeps its index.</param>
    public static string Compute(CorpusSource source, string folder)
    {
        ArgumentNullException.ThrowIfNull(source);
        var text = new StringBuilder(CorpusIngest.Settings(source));
        foreach (var path in source.Paths)
        {
            text.Append('\n').Append(Path.GetRelativePath(folder, Path.TrimEndingDirectorySeparator(path)).Replace('\\', '/'));
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
