using CsvHelper;

namespace AdaptLab.Retrieval.Ingest;

/// <summary>
/// The one CSV reader: datasets, people's ratings and corpus tables are all read through it. RFC 4180 on CsvHelper,
/// a record at a time; the first record is the header, empty lines are skipped, and an empty field reads as "".
/// Malformed quoting (a stray quote, a quote never closed) is bad input naming the file and the line where the
/// record starts, rather than CsvHelper's recovery, which would quietly merge or split fields. Public because Core
/// reads its datasets with it; this is the lowest project that has CsvHelper and that Core references.
/// </summary>
public sealed class CsvRecordReader : IDisposable
{
    private readonly CsvReader csv;

    /// <param name="reader">The decoded text, disposed with this reader; a strict decoder makes bytes that are not UTF-8 an error.</param>
    /// <param name="file">The path errors name.</param>
    /// <param name="detectSeparator">Whether the separator is told from the first lines (comma, semicolon, tab or bar, or Excel's <c>sep=</c> line) instead of a comma.</param>
    public CsvRecordReader(TextReader reader, string file, bool detectSeparator = false)
    {
        csv = CsvReader.Create(reader, new CsvReaderOptions
        {
            Separator = detectSeparator ? null : ',',
            DetectSeparatorHint = detectSeparator,
            TrackLineNumbers = true,
            OnMalformedRecord = record => throw Malformed(file, record),
        }, leaveOpen: false);
    }

    /// <summary>The header's column names; empty for an empty file.</summary>
    /// <exception cref="InputException">The header's quoting is malformed.</exception>
    public IReadOnlyList<string> Header => csv.Headers;

    /// <summary>The 1-based line where the current record starts (its first line, for a quoted field over several lines).</summary>
    public int Line => (int)csv.LineNumber;

    /// <summary>The number of fields in the current record, which may differ from the header's.</summary>
    public int FieldCount => csv.FieldCount;

    /// <summary>Field <paramref name="index"/> of the current record, unquoted; "" when empty or past the record's end.</summary>
    public string this[int index] => csv.GetString(index);

    /// <summary>The current record's field in the header's column <paramref name="column"/>.</summary>
    public string this[string column] => csv.GetString(column);

    /// <summary>Moves to the next record; false at the end of the file.</summary>
    /// <exception cref="InputException">The record's quoting is malformed.</exception>
    public bool Read() => csv.Read();

    public void Dispose() => csv.Dispose();

    private static InputException Malformed(string file, CsvMalformedRecord record) => new(file, (int)record.LineNumber, null, record.Reason switch
    {
        CsvMalformedReason.StrayQuote or CsvMalformedReason.TextAfterClosingQuote => "malformed CSV: a stray quote (quote the whole field and double inner quotes)",
        CsvMalformedReason.UnterminatedQuote => "malformed CSV: a quoted field is never closed",
        var other => $"malformed CSV ({other})",
    });
}
