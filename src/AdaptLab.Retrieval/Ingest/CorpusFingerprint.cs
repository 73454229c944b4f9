using System.Security.Cryptography;
using System.Text;

namespace AdaptLab.Retrieval.Ingest;

/// <summary>
/// A hash of a corpus's content and reading settings: its files' ids and bytes, and how they are read and cut. Equal
/// fingerprints ingest to the same chunks, wherever the files lie.
/// </summary>
public static class CorpusFingerprint
{
    /// <exception cref="InputException">A configured path does not exist.</exception>
    public static string Compute(CorpusSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(CorpusIngest.Settings(source)));
        foreach (var file in CorpusFiles.Find(source.Paths).Files)
        {
            using var stream = File.OpenRead(file.Path);
            hash.AppendData(Encoding.UTF8.GetBytes($"\n{file.Id}\n"));
            hash.AppendData(SHA256.HashData(stream));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
