namespace AdaptLab.Retrieval.Ingest;

/// <summary>Where a corpus comes from and how it is cut.</summary>
/// <param name="Paths">Files and folders (read recursively); .txt, .md, .html/.htm, .jsonl, .csv and .json are read, other files are skipped.</param>
/// <param name="Text">For records (.jsonl, .csv, .json): the field holding the text.</param>
/// <param name="Id">For records: the field holding the document id; else the file's path and the record's line (or index).</param>
/// <param name="Title">For records: a field whose value becomes the chunk's heading.</param>
/// <param name="Records">For .json: the path to the records, e.g. <c>data[].paragraphs[]</c>; the whole file when null.</param>
/// <param name="ChunkTokens">The most tokens per chunk.</param>
/// <param name="OverlapTokens">Tokens a chunk repeats from the end of the one before it in the same section.</param>
public sealed record CorpusSource(
    IReadOnlyList<string> Paths,
    string Text = "text",
    string? Id = null,
    string? Title = null,
    string? Records = null,
    int ChunkTokens = 256,
    int OverlapTokens = 32);
