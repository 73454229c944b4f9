using System.Security.Cryptography;
using System.Text;

namespace AdaptLab.Engine;

/// <summary>
/// The SHA-256 of a model's files (name and content, in name order): every file of a model folder, or a
/// checkpoint file with the tokenizer and config files beside it. Hashing reads the weights once (about a
/// second per GB), which is what makes retraining into the same folder visible. An adapter's identity covers its base's.
/// </summary>
internal static class ModelFilesHash
{
    // The record finetune writes beside the weights holds their identity, so it cannot be part of it.
    private const string TrainingRecordFile = "training.json";

    public static string Of(string path) =>
        Directory.Exists(path) && HuggingFace.PeftAdapter.IsIn(path) ? Files(path, Of(HuggingFace.PeftAdapter.BaseOf(path))) : Files(path, null);

    /// <param name="baseIdentity">An adapter's base model's identity, part of the adapter's.</param>
    private static string Files(string path, string? baseIdentity)
    {
        var files = Directory.Exists(path)
            ? Directory.EnumerateFiles(path).Where(f => !Path.GetFileName(f).StartsWith('.') && Path.GetFileName(f) != TrainingRecordFile)
            : Directory.EnumerateFiles(Path.GetDirectoryName(Path.GetFullPath(path))!)
                .Where(f => f == Path.GetFullPath(path) || Path.GetFileName(f).StartsWith("tok", StringComparison.Ordinal));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (baseIdentity is not null)
        {
            hash.AppendData(Encoding.UTF8.GetBytes("base " + baseIdentity + "\n"));
        }

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
