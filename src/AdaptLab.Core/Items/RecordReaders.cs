using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AdaptLab.Core.Tasks;
using AdaptLab.Retrieval.Ingest;

namespace AdaptLab.Core.Items;

/// <summary>Streams raw records out of JSONL, CSV and JSON files.</summary>
internal static class RecordReaders
{
    public static IEnumerable<RawRecord> Read(TextReader reader, DataFormat format, string file, string? recordsPath) => format switch
    {
        DataFormat.Jsonl => ReadJsonl(reader, file),
        DataFormat.Csv => ReadCsv(reader, file),
        DataFormat.Json => ReadJson(reader, file, recordsPath),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static DataFormat FormatOf(string file)
    {
        var name = file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? file[..^3] : file;
        return Path.GetExtension(name).ToLowerInvariant() switch
        {
            ".jsonl" or ".ndjson" => DataFormat.Jsonl,
            ".csv" => DataFormat.Csv,
            ".json" => DataFormat.Json,
            var ext => throw new InputException(file, null, "data.format",
                $"cannot tell the format from the extension '{ext}'; set data.format to jsonl, csv or json"),
        };
    }

    private static IEnumerable<RawRecord> ReadJsonl(TextReader reader, string file)
    {
        var line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            JsonNode? node;
            try
            {
                node = JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                throw new InputException(file, line, null, "not valid JSON: " + e.Message);
            }

            if (node is not JsonObject)
            {
                throw new InputException(file, line, null, "each line must be a JSON object");
            }

            yield return new RawRecord(node, [], line, $"line {line}");
        }
    }

    private static IEnumerable<RawRecord> ReadCsv(TextReader reader, string file)
    {
        using var csv = new CsvRecordReader(reader, file);
        var header = csv.Header;
        if (header.Count == 0)
        {
            throw new InputException(file, 1, null, "the CSV file is empty (no header row)");
        }

        while (csv.Read())
        {
            // A line of just "" is as empty as an empty line, which the reader skips.
            if (csv.FieldCount == 1 && csv[0].Length == 0)
            {
                continue;
            }

            if (csv.FieldCount != header.Count)
            {
                throw new InputException(file, csv.Line, null, $"expected {header.Count} columns as in the header, found {csv.FieldCount}");
            }

            var obj = new JsonObject();
            for (var i = 0; i < header.Count; i++)
            {
                obj[header[i]] = csv[i];
            }

            yield return new RawRecord(obj, [], csv.Line, $"line {csv.Line}");
        }
    }

    private static IEnumerable<RawRecord> ReadJson(TextReader reader, string file, string? recordsPath)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(reader.ReadToEnd());
        }
        catch (JsonException e)
        {
            throw new InputException(file, (int?)e.LineNumber + 1, null, "not valid JSON: " + e.Message);
        }

        if (root is null)
        {
            throw new InputException(file, 1, null, "the JSON document is null");
        }

        var steps = string.IsNullOrEmpty(recordsPath) ? ["[]"] : recordsPath.Split('.');
        return Walk(root, [], steps, 0, string.Empty, file, recordsPath);
    }

    /// <summary>Follows <c>data[].paragraphs[].qas[]</c>: each step names a member, <c>[]</c> fans out over an array.</summary>
    private static IEnumerable<RawRecord> Walk(
        JsonNode node, IReadOnlyList<JsonNode> parents, string[] steps, int step, string location, string file, string? recordsPath)
    {
        if (step == steps.Length)
        {
            yield return new RawRecord(node, parents, null, location);
            yield break;
        }

        var part = steps[step];
        var fanOut = part.EndsWith("[]", StringComparison.Ordinal);
        var member = fanOut ? part[..^2] : part;
        var next = node;
        var here = location;
        if (member.Length > 0)
        {
            next = node is JsonObject o ? o[member] : null;
            here = location.Length == 0 ? member : $"{location}.{member}";
            if (next is null)
            {
                throw new InputException(file, null, "data.records", $"'{here}' is missing while following '{recordsPath}'");
            }
        }

        if (!fanOut)
        {
            foreach (var r in Walk(next, parents, steps, step + 1, here, file, recordsPath))
            {
                yield return r;
            }

            yield break;
        }

        if (next is not JsonArray array)
        {
            throw new InputException(file, null, "data.records", $"'{(here.Length == 0 ? "the document" : here)}' is not an array");
        }

        var inner = member.Length > 0 && node is JsonObject ? [node, .. parents] : parents;
        for (var i = 0; i < array.Count; i++)
        {
            foreach (var r in Walk(array[i]!, inner, steps, step + 1, $"{here}[{i}]", file, recordsPath))
            {
                yield return r;
            }
        }
    }

    internal static Encoding Utf8 { get; } = new UTF8Encoding(false, throwOnInvalidBytes: true);
}
