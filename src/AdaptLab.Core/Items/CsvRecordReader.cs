using System.Text;

namespace AdaptLab.Core.Items;

/// <summary>
/// RFC 4180 CSV: comma-separated, double-quoted fields may hold commas, quotes ("") and line breaks.
/// Hand-written rather than a library because errors must name the physical line where a record
/// starts and reject stray quotes, which the parsers on NuGet either hide or report by record number.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader, string file)
{
    private int line = 1;

    /// <summary>The 1-based line where the last record returned by <see cref="Read"/> starts.</summary>
    public int RecordLine { get; private set; }

    public List<string>? Read()
    {
        if (reader.Peek() < 0)
        {
            return null;
        }

        RecordLine = line;
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var afterQuote = false;
        while (true)
        {
            var c = reader.Read();
            if (quoted)
            {
                switch (c)
                {
                    case -1:
                        throw new InputException(file, RecordLine, null, "malformed CSV: a quoted field is never closed");
                    case '"' when reader.Peek() == '"':
                        reader.Read();
                        field.Append('"');
                        break;
                    case '"':
                        quoted = false;
                        afterQuote = true;
                        break;
                    default:
                        if (c == '\n')
                        {
                            line++;
                        }

                        field.Append((char)c);
                        break;
                }

                continue;
            }

            switch (c)
            {
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    afterQuote = false;
                    break;
                case '\r' when reader.Peek() == '\n':
                    break;
                case '\n' or -1:
                    fields.Add(field.ToString());
                    if (c == '\n')
                    {
                        line++;
                    }

                    return fields;
                case '"' when field.Length == 0 && !afterQuote:
                    quoted = true;
                    break;
                default:
                    if (c == '"' || afterQuote)
                    {
                        throw new InputException(file, line, null,
                            $"malformed CSV: a stray quote in field {fields.Count + 1} (quote the whole field and double inner quotes)");
                    }

                    field.Append((char)c);
                    break;
            }
        }
    }
}
