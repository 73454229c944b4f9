namespace AdaptLab.Retrieval.Ingest;

/// <summary>A corpus that cannot be ingested as configured, naming the file, line and field where it can.</summary>
public sealed class CorpusException(string file, int? line, string? field, string message) : Exception(message)
{
    public string File { get; } = file;

    public int? Line { get; } = line;

    public string? Field { get; } = field;
}
