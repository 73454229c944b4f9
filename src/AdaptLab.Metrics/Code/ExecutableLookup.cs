namespace AdaptLab.Metrics.Code;

internal static class ExecutableLookup
{
    /// <summary>The path of <paramref name="name"/>: itself when it contains a slash, else the first match on PATH.</summary>
    public static string? Find(string name)
    {
        if (name.Contains('/'))
        {
            return File.Exists(name) ? name : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }
}
