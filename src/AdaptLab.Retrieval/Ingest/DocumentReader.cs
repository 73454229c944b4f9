using System.Text;

namespace AdaptLab.Retrieval.Ingest;

/// <summary>Reads one corpus file into documents by its extension.</summary>
public static class DocumentReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool IsSupported(string file) => Kind(file) is not null;

    /// <param name="id">The file's id in the corpus (its path relative to the corpus root).</param>
    /// <exception cref="UnreadableFileException">The file is binary or not UTF-8.</exception>
    /// <exception cref="InputException">A record lacks its configured field or is not valid JSON.</exception>
    public static IEnumerable<SourceDocument> Read(string file, string id, CorpusSource source) => Kind(file) switch
    {
        ".txt" => [SourceDocument.Whole(id, ReadText(file))],
        ".md" => [MarkdownDocuments.Read(id, ReadText(file))],
        ".html" => [HtmlDocuments.Read(id, ReadText(file))],
        ".jsonl" => RecordDocuments.JsonLines(file, id, source, OpenText(file)),
        ".csv" => RecordDocuments.Csv(file, id, source, OpenText(file)),
        ".json" => RecordDocuments.Json(file, id, source, ReadText(file)),
        _ => throw new ArgumentException($"{file}: not a corpus file type"),
    };

    private static string? Kind(string file) => Path.GetExtension(file).ToLowerInvariant() switch
    {
        ".txt" or ".text" => ".txt",
        ".md" or ".markdown" => ".md",
        ".html" or ".htm" => ".html",
        ".jsonl" or ".ndjson" => ".jsonl",
        ".csv" => ".csv",
        ".json" => ".json",
        _ => null,
    };

    private static string ReadText(string file)
    {
        var bytes = File.ReadAllBytes(file);
        CheckNotBinary(bytes.AsSpan(0, Math.Min(bytes.Length, 8192)));
        try
        {
            return StrictUtf8.GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            throw new UnreadableFileException("is not UTF-8 text");
        }
    }

    /// <summary>A reader that fails on invalid UTF-8 as it streams, for files read record by record.</summary>
    private static StreamReader OpenText(string file)
    {
        var stream = File.OpenRead(file);
        var head = new byte[Math.Min(8192, stream.Length)];
        stream.ReadExactly(head);
        stream.Position = 0;
        CheckNotBinary(head);
        return new StreamReader(stream, StrictUtf8, detectEncodingFromByteOrderMarks: true);
    }

    private static void CheckNotBinary(ReadOnlySpan<byte> head)
    {
        if (head.Contains((byte)0))
        {
            throw new UnreadableFileException("is binary (holds NUL bytes)");
        }
    }
}

/// <summary>A corpus file that is not text: skipped with a warning, never an error.</summary>
public sealed class UnreadableFileException(string reason) : Exception(reason);
