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
    public string? CheckArguments(JsonObject arguments)
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

            if (TypeProblem(schema, value) is { } problem)
            {
                return $"{Name}: argument '{name}' {problem}";
            }
        }

        return null;
    }

    /// <summary>The schema's types with Python's names (an integer is a float too), items at every depth: whether the call is well-formed, not BFCL's verdict.</summary>
    private static string? TypeProblem(JsonNode? schema, JsonNode? value)
    {
        var type = (schema?["type"] as JsonValue)?.GetValue<string>() ?? "any";
        var actual = PythonValue.TypeOf(value);
        var ok = type switch
        {
            "string" => actual == PythonType.Str,
            "integer" => actual == PythonType.Int,
            "float" or "number" => actual is PythonType.Int or PythonType.Float,
            "boolean" => actual == PythonType.Bool,
            "array" or "tuple" => actual == PythonType.List,
            "dict" or "object" => actual == PythonType.Dict,
            _ => true,
        };
        if (!ok)
        {
            return $"should be {type}, not {PythonValue.WithArticle(actual)}";
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
}
