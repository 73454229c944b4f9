using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdaptLab.Core.Data;

/// <summary>
/// Field paths of a task file: <c>userInput.text</c> walks members, <c>question[0][0].content</c> takes array
/// elements, <c>answers[].text</c> fans out over an array (giving several values), <c>^.context</c> starts at the
/// enclosing record of nested JSON.
/// </summary>
internal static class FieldPath
{
    /// <summary>All values at <paramref name="path"/>; empty when the path leads nowhere.</summary>
    public static IReadOnlyList<JsonNode?> Select(RawRecord record, string path)
    {
        var node = record.Node;
        var rest = path;
        var depth = 0;
        while (rest.StartsWith("^.", StringComparison.Ordinal))
        {
            if (depth >= record.Parents.Count)
            {
                return [];
            }

            node = record.Parents[depth++];
            rest = rest[2..];
        }

        IEnumerable<JsonNode?> current = [node];
        foreach (var part in rest.Split('.'))
        {
            var fanOut = part.EndsWith("[]", StringComparison.Ordinal);
            var steps = (fanOut ? part[..^2] : part).Split('[');
            var member = steps[0];
            current = current.Select(n => member.Length == 0 ? n : (n as JsonObject)?[member]);
            foreach (var index in steps.Skip(1))
            {
                // question[0][0]: the first element of the first element.
                var at = int.TryParse(index.TrimEnd(']'), System.Globalization.CultureInfo.InvariantCulture, out var i) ? i : -1;
                current = current.Select(n => n is JsonArray a && at >= 0 && at < a.Count ? a[at] : null);
            }

            if (fanOut)
            {
                current = current.SelectMany(n => n as JsonArray ?? (IEnumerable<JsonNode?>)[]);
            }
        }

        return current.Where(n => n is not null).ToList();
    }

    /// <summary>JSON text with every character as it is: prompts and reports must not see <c>\u003C</c> for <c>&lt;</c>.</summary>
    public static readonly JsonSerializerOptions Unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Strings stay as they are; numbers, booleans, objects and arrays become their JSON text.</summary>
    public static string Text(JsonNode? node) => node switch
    {
        null => string.Empty,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(Unescaped),
    };

    /// <summary>Arrays and objects, which prompts see as Liquid arrays and objects rather than text.</summary>
    public static bool IsStructured(JsonNode? node) => node is JsonArray or JsonObject;
}
