using System.Buffers;
using System.Text;
using System.Text.Json;
using AdaptLab.Core.Items;
using AdaptLab.Core.Tasks;

namespace AdaptLab.Core.Store;

/// <summary>
/// How an item's fields are kept in <c>items.fields</c> so that each text is stored once: the input and
/// expected output live in their own columns and are left out, and an extra field equal to the input
/// (HumanEval maps <c>prompt</c> to both) is <c>null</c>. <c>$structured</c> lists the fields whose text
/// is a JSON array or object, which prompts see as Liquid arrays and objects.
/// </summary>
/// <remarks>Rows written before this layout hold every field as a string, input and expected included; they read the same.</remarks>
internal static class StoredFields
{
    private const string StructuredKey = "$structured";

    public static string Write(DataItem item)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = FieldPath.Unescaped.Encoder }))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in item.Fields)
            {
                if ((name == "input" && value == item.Input) || (name == "expected" && item.Expected.Count > 0 && value == item.Expected[0]))
                {
                    continue;
                }

                if (value == item.Input)
                {
                    writer.WriteNull(name);
                }
                else
                {
                    writer.WriteString(name, value);
                }
            }

            if (item.Structured.Count > 0)
            {
                writer.WriteStartArray(StructuredKey);
                foreach (var name in item.Structured.Order(StringComparer.Ordinal))
                {
                    writer.WriteStringValue(name);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static (Dictionary<string, string> Fields, HashSet<string> Structured) Read(string json, string input, IReadOnlyList<string> expected)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal) { ["input"] = input };
        if (expected.Count > 0)
        {
            fields["expected"] = expected[0];
        }

        var structured = new HashSet<string>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.NameEquals(StructuredKey))
            {
                structured.UnionWith(property.Value.EnumerateArray().Select(n => n.GetString()!));
                continue;
            }

            fields[property.Name] = property.Value.ValueKind == JsonValueKind.Null ? input : property.Value.GetString()!;
        }

        return (fields, structured);
    }
}
