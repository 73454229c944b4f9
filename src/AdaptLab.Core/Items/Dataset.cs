namespace AdaptLab.Core.Items;

/// <param name="ContentHash">SHA-256 of the file's bytes, hex; ties a run to the exact data it used.</param>
internal sealed record Dataset(string Path, string ContentHash, IReadOnlyList<DataItem> Items)
{
    /// <summary>
    /// True where the task maps no id field and ids are row numbers: they name a row of this split only, so the same
    /// number in two splits says nothing about the items.
    /// </summary>
    public bool RowNumberIds { get; init; }
}
