using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdaptLab.Core.Tasks;

/// <summary>
/// Field paths of a task file: <c>userInput.text</c> walks members, <c>question[0][0].content</c> takes array
/// elements (<c>[-1]</c> the last), <c>question[0][role=user].content</c> the elements whose member has that value,
/// <c>answers[].text</c> fans out over an array (giving several values), <c>^.context</c> starts at the enclosing
/// record of nested JSON.
/// </summary>
internal static class FieldPath
{
    /// <summary>All values at <paramref name="path"/> from <paramref name="node"/>; empty when the path leads nowhere.</summary>
    /// <param name="parents">The objects enclosing <paramref name="node"/> in nested JSON, nearest first, which <c>^.</c> climbs to.</param>
    public static IReadOnlyList<JsonNode?> Select(JsonNode node, IReadOnlyList<JsonNode> parents, string path)
    {
        var rest = path;
        var depth = 0;
        while (rest.StartsWith("^.", StringComparison.Ordinal))
        {
            if (depth >= parents.Count)
            {
                return [];
            }

            node = parents[depth++];
            rest = rest[2..];
        }

        IEnumerable<JsonNode?> current = [node];
        foreach (var part in rest.Split('.'))
        {
            var fanOut = part.EndsWith("[]", StringComparison.Ordinal);
            var steps = (fanOut ? part[..^2] : part).Split('[');
            var member = steps[0];
            current = current.Select(n => member.Length == 0 ? n : (n as JsonObject)?[member]);
            foreach (var step in steps.Skip(1))
            {
                var selector = step.TrimEnd(']');
                if (int.TryParse(selector, System.Globalization.CultureInfo.InvariantCulture, out var at))
                {
                    // question[0][0]: the first element of the first element; [-1] counts from the end.
                    current = current.Select(n => n is JsonArray a && (at < 0 ? a.Count + at : at) is var i && i >= 0 && i < a.Count ? a[i] : null);
                }
                else
                {
                    var (key, value) = Filter(selector);
                    current = current.SelectMany(n => (n as JsonArray ?? []).Where(e => e is JsonObject o && o[key] is { } v && Text(v) == value));
                }
            }

            if (fanOut)
            {
                current = current.SelectMany(n => n as JsonArray ?? (IEnumerable<JsonNode?>)[]);
            }
        }

        return current.Where(n => n is not null).ToList();
    }

    /// <summary>Why <paramref name="path"/> cannot be followed (a selector that is neither an index nor <c>key=value</c>), or null.</summary>
    public static string? Problem(string path)
    {
        foreach (var step in path.Split('.').SelectMany(part => part.Split('[').Skip(1)))
        {
            if (!step.EndsWith(']') || (step.Length > 1 && !int.TryParse(step[..^1], System.Globalization.CultureInfo.InvariantCulture, out _) && !step.Contains('=', StringComparison.Ordinal)))
            {
                return $"'[{step}' in '{path}' is neither an index ([0], [-1] for the last) nor a filter ([role=user]) nor [] (every element)";
            }
        }

        return null;
    }

    private static (string Key, string Value) Filter(string selector)
    {
        var at = selector.IndexOf('=', StringComparison.Ordinal);
        return at < 0 ? (string.Empty, string.Empty) : (selector[..at], selector[(at + 1)..]);
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
