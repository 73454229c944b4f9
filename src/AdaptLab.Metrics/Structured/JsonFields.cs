using System.Text.Json;

namespace AdaptLab.Metrics.Structured;

/// <summary>
/// Flattens a JSON object to path = value pairs: nested keys join with '.', array elements get
/// [i]. Strings compare by content (trimmed), other scalars by their JSON text. Null-valued fields
/// count as absent, since models that fill a fixed schema write null for a slot they did not find.
/// </summary>
internal static class JsonFields
{
    public static Dictionary<string, string> Flatten(JsonElement root, bool ignoreCase)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        Add(root, "", fields, ignoreCase);
        return fields;
    }

    private static void Add(JsonElement element, string path, Dictionary<string, string> fields, bool ignoreCase)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Add(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", fields, ignoreCase);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Add(item, $"{path}[{index++}]", fields, ignoreCase);
                }

                break;
            case JsonValueKind.Null:
                break;
            default:
                var text = element.ValueKind == JsonValueKind.String ? element.GetString()!.Trim() : element.GetRawText();
                fields[path] = ignoreCase ? text.ToLowerInvariant() : text;
                break;
        }
    }
}
