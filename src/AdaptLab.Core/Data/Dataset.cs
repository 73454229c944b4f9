namespace AdaptLab.Core.Data;

/// <param name="ContentHash">SHA-256 of the file's bytes, hex; ties a run to the exact data it used.</param>
public sealed record Dataset(string Path, string ContentHash, IReadOnlyList<DataItem> Items);
