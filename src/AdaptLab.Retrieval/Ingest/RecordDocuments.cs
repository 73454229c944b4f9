using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdaptLab.Retrieval.Ingest;

/// <summary>
/// Records as documents: one per JSON line, CSV row or element of a JSON file's records path, with the text, id
/// and title taken from the configured fields (a dotted path for nested JSON). JSON Lines and CSV stream, one
/// record at a time.
/// </summary>
internal static class RecordDocuments
{
    public static IEnumerable<SourceDocument> JsonLines(string file, string fileId, CorpusSource source, StreamReader reader)
    {
        using (reader)
        {
            var line = 0;
            while (ReadLine(reader, file, line + 1) is { } text)
            {
                line++;
                if (string.IsNullOrWhiteSpace(text))
                {
                    continue;
                }

                JsonNode? record;
                try
                {
                    record = JsonNode.Parse(text);
                }
                catch (JsonException e)
                {
                    throw new InputException(file, line, null, "is not a JSON object: " + e.Message);
                }

                yield return FromJson(record, file, line, $"{fileId}:{line}", source, null);
            }
        }
    }

    public static IEnumerable<SourceDocument> Csv(string file, string fileId, CorpusSource source, StreamReader reader)
    {
        using var csv = new CsvRecordReader(reader, file, detectSeparator: true);
        var checkedHeader = false;
        while (csv.Read())
        {
            if (!checkedHeader)
            {
                var header = csv.Header;
                foreach (var field in new[] { source.Text, source.Id, source.Title }.OfType<string>().Where(f => !header.Contains(f, StringComparer.Ordinal)))
                {
                    throw new InputException(file, 1, field, $"has no column '{field}' (columns: {string.Join(", ", header)})");
                }

                checkedHeader = true;
            }

            var line = csv.Line;
            var id = source.Id is null ? $"{fileId}:{line}" : csv[source.Id];
            if (string.IsNullOrEmpty(id))
            {
                throw new InputException(file, line, source.Id, $"the id field '{source.Id}' is empty");
            }

            yield return SourceDocument.Whole(id, csv[source.Text], source.Title is null ? string.Empty : csv[source.Title]);
        }
    }

    public static IEnumerable<SourceDocument> Json(string file, string fileId, CorpusSource source, string text)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new InputException(file, (int?)e.LineNumber + 1, null, "is not valid JSON: " + e.Message);
        }

        var index = 0;
        foreach (var (record, path) in Walk(root, source.Records is null ? [] : source.Records.Split('.'), string.Empty))
        {
            yield return FromJson(record, file, null, $"{fileId}:{(path.Length == 0 ? index.ToString(CultureInfo.InvariantCulture) : path)}", source, path);
            index++;
        }
    }

    /// <summary>The nodes a records path such as <c>data[].paragraphs[]</c> reaches, each with its position, e.g. <c>data[3].paragraphs[1]</c>.</summary>
    private static IEnumerable<(JsonNode? Node, string Path)> Walk(JsonNode? node, string[] parts, string at)
    {
        if (parts.Length == 0)
        {
            if (node is JsonArray whole && at.Length == 0)
            {
                for (var i = 0; i < whole.Count; i++)
                {
                    yield return (whole[i], $"[{i}]");
                }
            }
            else
            {
                yield return (node, at);
            }

            yield break;
        }

        var part = parts[0];
        var each = part.EndsWith("[]", StringComparison.Ordinal);
        var name = each ? part[..^2] : part;
        var child = name.Length == 0 ? node : node?[name];
        var prefix = at.Length == 0 ? name : $"{at}.{name}";
        if (!each)
        {
            foreach (var found in Walk(child, parts[1..], prefix))
            {
                yield return found;
            }

            yield break;
        }

        if (child is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                foreach (var found in Walk(array[i], parts[1..], $"{prefix}[{i}]"))
                {
                    yield return found;
                }
            }
        }
    }

    private static SourceDocument FromJson(JsonNode? record, string file, int? line, string fallbackId, CorpusSource source, string? path)
    {
        if (record is not JsonObject)
        {
            throw new InputException(file, line, path, "is not a JSON object");
        }

        var text = Field(record, source.Text);
        if (text is null)
        {
            throw new InputException(file, line, path is null ? source.Text : $"{path}.{source.Text}", $"has no text field '{source.Text}' (set corpus.text to the field that holds it)");
        }

        var id = fallbackId;
        if (source.Id is not null)
        {
            id = Field(record, source.Id) ?? throw new InputException(file, line, source.Id, $"has no id field '{source.Id}'");
        }

        return SourceDocument.Whole(id, text, source.Title is null ? string.Empty : Field(record, source.Title) ?? string.Empty);
    }

    /// <summary>A string or number at a dotted path; null when absent.</summary>
    private static string? Field(JsonNode record, string dotted)
    {
        JsonNode? node = record;
        foreach (var part in dotted.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }

        return node is JsonValue value ? value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.ToJsonString(),
            _ => null,
        } : null;
    }

    private static string? ReadLine(StreamReader reader, string file, int line)
    {
        try
        {
            return reader.ReadLine();
        }
        catch (DecoderFallbackException)
        {
            throw new UnreadableFileException($"is not UTF-8 text (line {line})");
        }
    }
}
