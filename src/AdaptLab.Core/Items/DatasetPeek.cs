using System.Text.Json;
using System.Text.Json.Nodes;
using AdaptLab.Core.Tasks;

namespace AdaptLab.Core.Items;

/// <summary>A split's first record, read as the loader reads it, for <c>init</c> to scaffold a task file from.</summary>
internal static class DatasetPeek
{
    /// <returns>The first record's field names, and the format the loader must be told where the extension misleads (a .json file of JSON lines).</returns>
    /// <exception cref="InputException">The file cannot be read or holds no record.</exception>
    public static (IReadOnlyList<string> Fields, DataFormat? Format) Peek(string path)
    {
        var format = RecordReaders.FormatOf(path);
        DataFormat? stated = null;
        if (format == DataFormat.Json && IsJsonLines(path))
        {
            (format, stated) = (DataFormat.Jsonl, DataFormat.Jsonl);
        }

        try
        {
            using var reader = new StreamReader(path, RecordReaders.Utf8);
            var first = RecordReaders.Read(reader, format, path, null).FirstOrDefault()
                ?? throw new InputException(path, null, null, "the file holds no records");
            return (first.Node is JsonObject fields ? [.. fields.Select(f => f.Key)] : [], stated);
        }
        catch (IOException e)
        {
            throw new InputException(path, null, null, "cannot read the data file: " + e.Message);
        }
    }

    /// <summary>A .json file whose first line is a whole object and whose text is not one JSON document.</summary>
    private static bool IsJsonLines(string path)
    {
        using var reader = new StreamReader(path, RecordReaders.Utf8);
        var first = reader.ReadLine();
        if (first is null || reader.Peek() < 0)
        {
            return false;
        }

        try
        {
            return JsonNode.Parse(first) is JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
