using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdaptLab.Metrics.ToolCalls;

/// <summary>
/// A tool offered to the model, as the Berkeley Function Calling Leaderboard writes it: a name and JSON-Schema-like
/// parameters whose type names are Python's (<c>dict</c>, <c>integer</c>, <c>float</c>, <c>string</c>, <c>boolean</c>,
/// <c>array</c>, <c>tuple</c>, <c>any</c>); standard JSON Schema names (<c>object</c>, <c>number</c>) are read too.
/// </summary>
public sealed record OfferedTool(string Name, IReadOnlyDictionary<string, JsonNode?> Properties, IReadOnlySet<string> Required)
{
    /// <exception cref="FormatException">The text is not a list of tools with names.</exception>
    public static IReadOnlyList<OfferedTool> ParseAll(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"the tools are not JSON: {e.Message}", e);
        }

        if (root is not JsonArray tools)
        {
            throw new FormatException("the tools are not a JSON array of {name, parameters}");
        }

        return [.. tools.Select(t =>
        {
            if (t is not JsonObject tool || tool["name"] is not JsonValue name || name.GetValueKind() != JsonValueKind.String)
            {
                throw new FormatException("a tool has no name");
            }

            var parameters = tool["parameters"] as JsonObject;
            var properties = (parameters?["properties"] as JsonObject ?? []).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            var required = (parameters?["required"] as JsonArray ?? []).Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            return new OfferedTool(name.GetValue<string>(), properties, required);
        })];
    }

    /// <summary>Why the arguments do not fit the parameters (a missing required one, an unknown one, a wrong type), or null.</summary>
    /// <param name="isVariable">Whether a string given for a parameter of another type names a variable (BFCL accepts
    /// <c>x=data['sales']</c> for an array when the expected values hold that very text); then its type is not checked.</param>
    public string? CheckArguments(JsonObject arguments, Func<string, JsonNode?, bool>? isVariable = null)
    {
        foreach (var name in Required.Order(StringComparer.Ordinal))
        {
            if (!arguments.ContainsKey(name))
            {
                return $"{Name}: missing required argument '{name}'";
            }
        }

        foreach (var (name, value) in arguments)
        {
            if (!Properties.TryGetValue(name, out var schema))
            {
                return $"{Name}: unexpected argument '{name}' (parameters: {string.Join(", ", Properties.Keys)})";
            }

            if (TypeProblem(schema, value) is { } problem && !(Kind(value) == JsonValueKind.String && isVariable?.Invoke(name, value) == true))
            {
                return $"{Name}: argument '{name}' {problem}";
            }
        }

        return null;
    }

    /// <summary>Python's type check as BFCL's AST checker does it: exact types, except that an integer is accepted for a float.</summary>
    private static string? TypeProblem(JsonNode? schema, JsonNode? value)
    {
        var type = (schema?["type"] as JsonValue)?.GetValue<string>() ?? "any";
        var ok = type switch
        {
            "string" => Kind(value) == JsonValueKind.String,
            "integer" => Kind(value) == JsonValueKind.Number && IsInteger(value!),
            "float" or "number" => Kind(value) == JsonValueKind.Number,
            "boolean" => Kind(value) is JsonValueKind.True or JsonValueKind.False,
            "array" or "tuple" => value is JsonArray,
            "dict" or "object" => value is JsonObject,
            _ => true,
        };
        if (!ok)
        {
            return $"should be {type}, not {Describe(value)}";
        }

        if (value is JsonArray items && type is "array" or "tuple" && schema?["items"] is { } itemSchema)
        {
            foreach (var item in items)
            {
                if (TypeProblem(itemSchema, item) is { } problem)
                {
                    return "has an item that " + problem;
                }
            }
        }

        return null;
    }

    internal static JsonValueKind Kind(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;

    internal static bool IsInteger(JsonNode node) => node.AsValue().TryGetValue<long>(out _) ||
        (node.AsValue().TryGetValue<double>(out var d) && Math.Floor(d) == d && !node.ToJsonString().Contains('.') && !node.ToJsonString().Contains('e'));

    private static string Describe(JsonNode? value) => Kind(value) switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => IsInteger(value!) ? "an integer" : "a float",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };
}
