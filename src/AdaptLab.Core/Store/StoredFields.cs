using System.Text.Json.Nodes;
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
        var stored = new JsonObject();
        foreach (var (name, value) in item.Fields)
        {
            if ((name == "input" && value == item.Input) || (name == "expected" && item.Expected.Count > 0 && value == item.Expected[0]))
            {
                continue;
            }

            stored[name] = value == item.Input ? null : JsonValue.Create(value);
        }

        if (item.Structured.Count > 0)
        {
            stored[StructuredKey] = new JsonArray([.. item.Structured.Order(StringComparer.Ordinal).Select(n => JsonValue.Create(n))]);
        }

        return stored.ToJsonString(FieldPath.Unescaped);
    }

    public static (Dictionary<string, string> Fields, HashSet<string> Structured) Read(string json, string input, IReadOnlyList<string> expected)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal) { ["input"] = input };
        if (expected.Count > 0)
        {
            fields["expected"] = expected[0];
        }

        var structured = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, node) in JsonNode.Parse(json)!.AsObject())
        {
            if (name == StructuredKey)
            {
                structured.UnionWith(node!.AsArray().Select(n => n!.GetValue<string>()));
                continue;
            }

            fields[name] = node is null ? input : node.GetValue<string>();
        }

        return (fields, structured);
    }
}
