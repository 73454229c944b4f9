using System.Security.Cryptography;
using System.Text;

namespace AdaptLab.Engine;

/// <summary>
/// The SHA-256 of a model's files (name and content, in name order): every file of a model folder, or a
/// checkpoint file with the tokenizer and config files beside it. Hashing reads the weights once (about a
/// second per GB), which is what makes retraining into the same folder visible.
/// </summary>
internal static class ModelFilesHash
{
    public static string Of(string path)
    {
        var files = Directory.Exists(path)
            ? Directory.EnumerateFiles(path).Where(f => !Path.GetFileName(f).StartsWith('.'))
            : Directory.EnumerateFiles(Path.GetDirectoryName(Path.GetFullPath(path))!)
                .Where(f => f == Path.GetFullPath(path) || Path.GetFileName(f).StartsWith("tok", StringComparison.Ordinal));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(file) + "\n"));
            using var stream = File.OpenRead(file);
            var buffer = new byte[1 << 20];
            for (int read; (read = stream.Read(buffer)) > 0;)
            {
                hash.AppendData(buffer, 0, read);
            }
        }

        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
