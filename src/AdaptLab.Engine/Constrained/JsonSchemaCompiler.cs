using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AdaptLab.Engine.Constrained;

/// <summary>
/// Compiles the JSON Schema subset generation supports: type (one or several of object, array, string,
/// integer, number, boolean, null), properties, required, additionalProperties, items, minItems, maxItems,
/// maxLength, enum and const, and minProperties = maxProperties = 1 (exactly one of the declared members). Annotations (title, description, default, examples, format, $schema, $id,
/// $comment) are ignored; any other keyword is rejected rather than silently not enforced. Objects with
/// declared properties are generated with those properties only, which every additionalProperties allows.
/// </summary>
internal static class JsonSchemaCompiler
{
    private static readonly HashSet<string> Annotations = ["title", "description", "default", "examples", "format", "$schema", "$id", "$comment"];
    private static readonly HashSet<string> Supported =
        ["type", "properties", "required", "additionalProperties", "minProperties", "maxProperties", "items", "minItems", "maxItems", "maxLength", "enum", "const"];

    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static SchemaNode Compile(JsonElement schema) => Compile(schema, "#");

    private static SchemaNode Compile(JsonElement schema, string path)
    {
        switch (schema.ValueKind)
        {
            case JsonValueKind.True:
                return AnyNode.Instance;
            case JsonValueKind.False:
                throw new ArgumentException($"The schema at {path} is false: no value satisfies it.");
            case JsonValueKind.Object:
                break;
            default:
                throw new ArgumentException($"The schema at {path} should be an object or a boolean, not {schema.ValueKind}.");
        }

        foreach (var keyword in schema.EnumerateObject().Select(p => p.Name).Where(k => !Supported.Contains(k) && !Annotations.Contains(k)))
        {
            throw new ArgumentException(
                $"The schema at {path} uses '{keyword}', which constrained generation does not support (supported: {string.Join(", ", Supported)}).");
        }

        if (schema.TryGetProperty("const", out var constant))
        {
            return new LiteralsNode([Encode(constant)]);
        }

        if (schema.TryGetProperty("enum", out var values))
        {
            var literals = values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0
                ? values.EnumerateArray().Select(Encode).ToArray()
                : throw new ArgumentException($"The schema at {path} has an enum that is not a non-empty array.");
            return new LiteralsNode(literals);
        }

        if (Types(schema, path) is not { } types)
        {
            return AnyNode.Instance;
        }

        var nodes = types.Select(SchemaNode (type) => type switch
        {
            "object" => CompileObject(schema, path),
            "array" => CompileArray(schema, path),
            "string" => schema.TryGetProperty("maxLength", out var max) ? new StringNode(NonNegative(max, "maxLength", path)) : StringNode.Unbounded,
            "integer" => NumberNode.Integer,
            "number" => NumberNode.Real,
            "boolean" => LiteralsNode.Boolean,
            "null" => LiteralsNode.Null,
            _ => throw new ArgumentException($"The schema at {path} has an unknown type '{type}'."),
        }).ToList();
        // Integers are numbers; a union keeps the wider so the first byte picks one option.
        if (types.Contains("number"))
        {
            nodes.Remove(NumberNode.Integer);
        }

        return nodes.Count == 1 ? nodes[0] : new UnionNode([.. nodes]);
    }

    /// <summary>The listed types; without a type, object or array by their keywords, else null: any value.</summary>
    private static List<string>? Types(JsonElement schema, string path)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return schema.TryGetProperty("properties", out _) ? ["object"]
                : schema.TryGetProperty("items", out _) ? ["array"]
                : null;
        }

        return type.ValueKind switch
        {
            JsonValueKind.String => [type.GetString()!],
            JsonValueKind.Array when type.GetArrayLength() > 0 => [.. type.EnumerateArray().Select(t => t.GetString()
                ?? throw new ArgumentException($"The schema at {path} lists a type that is not a string."))],
            _ => throw new ArgumentException($"The schema at {path} has a type that is neither a string nor a non-empty list."),
        };
    }

    private static ObjectNode CompileObject(JsonElement schema, string path)
    {
        var properties = schema.TryGetProperty("properties", out var declared) ? declared.EnumerateObject().ToList() : [];
        if (properties.Count > 64)
        {
            throw new ArgumentException($"The schema at {path} declares {properties.Count} properties; at most 64 are supported.");
        }

        var names = properties.Select(p => p.Name).ToArray();
        var required = 0UL;
        if (schema.TryGetProperty("required", out var requiredList))
        {
            foreach (var name in requiredList.EnumerateArray().Select(r => r.GetString()))
            {
                var index = Array.IndexOf(names, name);
                required |= index >= 0
                    ? 1UL << index
                    : throw new ArgumentException($"The schema at {path} requires '{name}', which is not among its properties.");
            }
        }

        var additional = schema.TryGetProperty("additionalProperties", out var extra) ? extra : default;
        SchemaNode? freeValue = names.Length > 0 || additional.ValueKind == JsonValueKind.False ? null
            : additional.ValueKind == JsonValueKind.Undefined ? AnyNode.Instance
            : Compile(additional, path + "/additionalProperties");
        var minProperties = schema.TryGetProperty("minProperties", out var min) ? NonNegative(min, "minProperties", path) : (int?)null;
        var maxProperties = schema.TryGetProperty("maxProperties", out var max) ? NonNegative(max, "maxProperties", path) : (int?)null;
        // Exactly one declared member is what tool calls need; other counts are not generated.
        var exactlyOne = (minProperties, maxProperties) switch
        {
            (null, null) => false,
            (1, 1) when names.Length > 0 && required == 0 => true,
            _ => throw new ArgumentException(
                $"The schema at {path} limits its properties' count; constrained generation supports only minProperties = maxProperties = 1 over declared properties that are not required."),
        };
        return new ObjectNode(
            [.. names.Select(EncodeKey)],
            [.. properties.Select(p => Compile(p.Value, $"{path}/properties/{p.Name}"))],
            required,
            freeValue,
            exactlyOne);
    }

    private static ArrayNode CompileArray(JsonElement schema, string path)
    {
        var items = schema.TryGetProperty("items", out var itemSchema) ? Compile(itemSchema, path + "/items") : AnyNode.Instance;
        var min = schema.TryGetProperty("minItems", out var minItems) ? NonNegative(minItems, "minItems", path) : 0;
        int? max = schema.TryGetProperty("maxItems", out var maxItems) ? NonNegative(maxItems, "maxItems", path) : null;
        return max < min
            ? throw new ArgumentException($"The schema at {path} has maxItems {max} below minItems {min}.")
            : new ArrayNode(items, min, max);
    }

    private static int NonNegative(JsonElement value, string keyword, string path) =>
        value.TryGetInt32(out var n) && n >= 0 ? n : throw new ArgumentException($"The schema at {path} has {keyword} {value}, which is not a non-negative integer.");

    private static byte[] Encode(JsonElement value) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value, Compact));

    private static byte[] EncodeKey(string name)
    {
        var quoted = JsonSerializer.Serialize(name, Compact);
        return Encoding.UTF8.GetBytes(quoted[1..^1]);
    }
}
