using System.IO.Compression;
using System.Security.Cryptography;
using AdaptLab.Core.Tasks;

namespace AdaptLab.Core.Data;

/// <summary>Reads a split (JSONL, CSV or JSON, optionally gzipped) and maps its records to <see cref="DataItem"/>s.</summary>
public static class DatasetLoader
{
    public static Dataset Load(string file, DataSpec spec)
    {
        var format = spec.Format ?? RecordReaders.FormatOf(file);
        using var sha = SHA256.Create();
        List<DataItem> items;
        try
        {
            using var raw = File.OpenRead(file);
            using var hashing = new CryptoStream(raw, sha, CryptoStreamMode.Read);
            using Stream content = file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
                ? new GZipStream(hashing, CompressionMode.Decompress)
                : hashing;
            using var reader = new StreamReader(content, RecordReaders.Utf8);
            items = RecordReaders.Read(reader, format, file, spec.Records)
                .Select((record, index) => Map(record, index, spec.Fields, file))
                .ToList();
            reader.ReadToEnd();
            hashing.CopyTo(Stream.Null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or System.Text.DecoderFallbackException)
        {
            throw new InputException(file, null, null, "cannot read the data file: " + e.Message);
        }

        if (items.Count == 0)
        {
            throw new InputException(file, null, null, "the split has no records");
        }

        var duplicate = items.GroupBy(i => i.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InputException(file, null, spec.Fields.Id, $"id '{duplicate.Key}' occurs more than once ({string.Join(", ", duplicate.Take(3).Select(i => i.Location))})");
        }

        return new Dataset(file, Convert.ToHexStringLower(sha.Hash!), items);
    }

    private static DataItem Map(RawRecord record, int index, FieldMapping mapping, string file)
    {
        InputException Error(string? field, string problem) => new(file, record.Line, field,
            record.Line is null ? $"{problem} (record {record.Location})" : problem);

        var structured = new HashSet<string>(StringComparer.Ordinal);
        string One(string path, string field, string? name = null)
        {
            var values = FieldPath.Select(record, path);
            if (name is not null && values.Count == 1 && FieldPath.IsStructured(values[0]))
            {
                structured.Add(name);
            }

            return values.Count switch
            {
                1 => FieldPath.Text(values[0]),
                0 => throw Error(field, $"missing field '{path}'"),
                _ => throw Error(field, $"'{path}' gives {values.Count} values where one is expected"),
            };
        }

        var input = One(mapping.Input, "input", "input");
        IReadOnlyList<string> expected;
        if (mapping.ExpectedSpans is { } spans)
        {
            var text = One(spans.Text, "expected.text");
            expected = [SpanSlots.ToJson(FieldPath.Select(record, spans.Spans), text, problem => Error("expected.spans", problem))];
        }
        else
        {
            expected = FieldPath.Select(record, mapping.Expected!).Select(FieldPath.Text).ToList();
            if (expected.Count == 0 && !mapping.Expected!.Contains("[]", StringComparison.Ordinal))
            {
                throw Error("expected", $"missing field '{mapping.Expected}'");
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

        var id = mapping.Id is null ? index.ToString(System.Globalization.CultureInfo.InvariantCulture) : One(mapping.Id, "id");
        var location = record.Line is { } line ? $"{Path.GetFileName(file)}:{line}" : $"{Path.GetFileName(file)} {record.Location}";
        return new DataItem(index, id, input, expected, fields, location) { Structured = structured };
    }
}
