using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AdaptLab.Core.Tasks;

namespace AdaptLab.Core.Items;

/// <summary>Reads a split (JSONL, CSV or JSON, optionally gzipped) and maps its records to <see cref="DataItem"/>s.</summary>
internal static class DatasetLoader
{
    public static Dataset Load(string file, DataSpec spec)
    {
        return new Dataset(file, ContentHash(file), [.. Read(file, spec)]) { RowNumberIds = spec.Fields.Id is null };
    }

    /// <summary>
    /// The split's items one at a time, as the file is read, so a split of any length takes the memory of one record
    /// (and a set of the ids seen, for duplicates).
    /// </summary>
    /// <exception cref="InputException">The file cannot be read, has no records, a record does not map, or an id occurs twice (naming where).</exception>
    internal static IEnumerable<DataItem> Read(string file, DataSpec spec)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in Guarded(file, Mapped(file, spec)))
        {
            if (!ids.Add(item.Id))
            {
                var locations = Guarded(file, Mapped(file, spec)).Where(i => i.Id == item.Id).Take(3).Select(i => i.Location);
                throw new InputException(file, null, spec.Fields.Id, $"id '{item.Id}' occurs more than once ({string.Join(", ", locations)})");
            }

            yield return item;
        }

        if (ids.Count == 0)
        {
            throw new InputException(file, null, null, "the split has no records");
        }
    }

    /// <summary>SHA-256 of the file's bytes, hex: ties a run to the exact data it used.</summary>
    public static string ContentHash(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(file, null, null, "cannot read the data file: " + e.Message);
        }
    }

    private static IEnumerable<DataItem> Mapped(string file, DataSpec spec)
    {
        var format = spec.Format ?? RecordReaders.FormatOf(file);
        using var raw = File.OpenRead(file);
        using Stream content = file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(raw, CompressionMode.Decompress) : raw;
        using var reader = new StreamReader(content, RecordReaders.Utf8);
        var answers = spec.Answers is null ? null : Answers(spec.Answers, spec.Fields);
        var index = 0;
        foreach (var record in RecordReaders.Read(reader, format, file, spec.Records))
        {
            yield return Map(answers is null ? record : Joined(record, answers, spec.Fields), index++, spec.Fields, file);
        }
    }

    /// <summary>The items of <paramref name="source"/>, with a file that cannot be read (or decoded) named as bad input.</summary>
    private static IEnumerable<DataItem> Guarded(string file, IEnumerable<DataItem> source)
    {
        using var items = source.GetEnumerator();
        while (true)
        {
            bool more;
            try
            {
                more = items.MoveNext();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or System.Text.DecoderFallbackException)
            {
                throw new InputException(file, null, null, "cannot read the data file: " + e.Message);
            }

            if (!more)
            {
                yield break;
            }

            yield return items.Current;
        }
    }

    /// <summary>The records of an answers file (JSON lines) by their id.</summary>
    private static Dictionary<string, JsonObject> Answers(string file, FieldMapping mapping)
    {
        if (mapping.Id is null)
        {
            throw new InputException(file, null, "data.fields.id", "an answers file is joined to the test records by id: set fields.id");
        }

        using var reader = new StreamReader(file, RecordReaders.Utf8);
        var result = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var record in RecordReaders.Read(reader, DataFormat.Jsonl, file, null))
        {
            var id = record.Select(mapping.Id).SingleOrDefault()
                ?? throw new InputException(file, record.Line, "data.fields.id", $"the answer has no '{mapping.Id}'");
            result[FieldPath.Text(id)] = (JsonObject)record.Node;
        }

        return result;
    }

    /// <summary>The test record with its answer's fields added (the record's own win).</summary>
    private static RawRecord Joined(RawRecord record, Dictionary<string, JsonObject> answers, FieldMapping mapping)
    {
        if (record.Node is JsonObject fields && record.Select(mapping.Id!).SingleOrDefault() is { } id &&
            answers.TryGetValue(FieldPath.Text(id), out var answer))
        {
            foreach (var (name, value) in answer)
            {
                if (!fields.ContainsKey(name))
                {
                    fields[name] = value?.DeepClone();
                }
            }
        }

        return record;
    }

    private static DataItem Map(RawRecord record, int index, FieldMapping mapping, string file)
    {
        InputException Error(string? field, string problem) => new(file, record.Line, field,
            record.Line is null ? $"{problem} (record {record.Location})" : problem);

        var structured = new HashSet<string>(StringComparer.Ordinal);
        string Missing(string path)
        {
            var keys = record.Node is System.Text.Json.Nodes.JsonObject o ? o.Select(kv => kv.Key).ToList() : [];
            var near = AdaptLab.Metrics.Spelling.Closest(path, keys);
            return $"missing field '{path}'" + (keys.Count == 0 ? string.Empty : $" (the record's fields: {string.Join(", ", keys)})") +
                (near is null ? string.Empty : $"; did you mean '{near}'?");
        }

        string One(string path, string field, string? name = null)
        {
            var values = record.Select(path);
            if (name is not null && values.Count == 1 && FieldPath.IsStructured(values[0]))
            {
                structured.Add(name);
            }

            return values.Count switch
            {
                1 => FieldPath.Text(values[0]),
                0 => throw Error(field, Missing(path)),
                _ => throw Error(field, $"'{path}' gives {values.Count} values where one is expected"),
            };
        }

        var input = One(mapping.Input, "input", "input");
        IReadOnlyList<string> expected;
        if (mapping.ExpectedSpans is { } spans)
        {
            var text = One(spans.Text, "expected.text");
            expected = [SpanSlots.ToJson(record.Select(spans.Spans), text, problem => Error("expected.spans", problem))];
        }
        else if (mapping.Expected is null)
        {
            // A tool-call task without expected calls: the right answer is to call no tool.
            expected = ["[]"];
        }
        else
        {
            expected = record.Select(mapping.Expected!).Select(FieldPath.Text).ToList();
            if (expected.Count == 0 && !mapping.Expected!.Contains("[]", StringComparison.Ordinal))
            {
                throw Error("expected", Missing(mapping.Expected!));
            }
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal) { ["input"] = input };
        if (expected.Count > 0)
        {
            fields["expected"] = expected[0];
        }

        foreach (var (name, path) in mapping.Extra)
        {
            fields[name] = One(path, $"extra.{name}", name);
        }

        // A conversation may open with a system turn or not: none is no system text, two are an error.
        if (mapping.System is { } system && record.Select(system) is { Count: > 0 } turns)
        {
            fields[FieldMapping.SystemField] = turns.Count == 1 ? FieldPath.Text(turns[0]) : throw Error("system", $"'{system}' gives {turns.Count} values where at most one is expected");
        }

        var id = mapping.Id is null ? index.ToString(System.Globalization.CultureInfo.InvariantCulture) : One(mapping.Id, "id");
        var location = record.Line is { } line ? $"{Path.GetFileName(file)}:{line}" : $"{Path.GetFileName(file)} {record.Location}";
        return new DataItem(index, id, input, expected, fields, location) { Structured = structured };
    }
}
