namespace AdaptLab.Engine;

/// <summary>Copies of a base model's files (tokenizer, config) beside trained weights.</summary>
internal static class ModelFiles
{
    /// <summary>
    /// Copies <paramref name="file"/> into <paramref name="folder"/>, writable: a base in a read-only folder (a shared
    /// model store) would otherwise pass its mode on, and training into the same folder again could not replace it.
    /// </summary>
    public static void Copy(string file, string folder)
    {
        var target = Path.Combine(folder, Path.GetFileName(file));
        if (File.Exists(target))
        {
            File.SetAttributes(target, FileAttributes.Normal);
        }

        File.Copy(file, target, overwrite: true);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(target, File.GetUnixFileMode(target) | UnixFileMode.UserWrite);
        }
    }
}
