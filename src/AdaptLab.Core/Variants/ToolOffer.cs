using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AdaptLab.Core.Tasks;
using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Variants;

/// <summary>
/// The tools a tool-call item offers (its <c>tools</c> field: a JSON list of <c>{name, description, parameters}</c>),
/// as Microsoft.Extensions.AI declarations, and the model's calls back as the JSON the tool-call metrics read.
/// Parameters written with BFCL's Python type names (<c>dict</c>, <c>float</c>, <c>tuple</c>, <c>any</c>) are sent as
/// JSON Schema; names that providers refuse (OpenAI allows <c>[a-zA-Z0-9_-]</c>: <c>math.factorial</c> is not) are
/// sent with <c>_</c> for each such character and read back as the item wrote them.
/// </summary>
internal sealed partial class ToolOffer
{
    public const string Field = "tools";

    private readonly Dictionary<string, string> originals;

    private ToolOffer(IList<AITool> tools, Dictionary<string, string> originals)
    {
        Tools = tools;
        this.originals = originals;
    }

    public IList<AITool> Tools { get; }

    /// <exception cref="FormatException">The field is not a list of tools with names.</exception>
    public static ToolOffer From(string toolsJson)
    {
        var tools = JsonNode.Parse(toolsJson) as JsonArray ?? throw new FormatException("the tools field is not a JSON list");
        var declared = new List<AITool>();
        var originals = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tool in tools)
        {
            var name = (tool?["name"] as JsonValue)?.GetValue<string>() ?? throw new FormatException("a tool has no name");
            var sent = ProviderName().Replace(name, "_");
            while (originals.ContainsKey(sent))
            {
                sent += "_";
            }

            originals[sent] = name;
            var schema = JsonSchema(tool!["parameters"]) as JsonObject ?? new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
            using var document = JsonDocument.Parse(schema.ToJsonString());
            declared.Add(AIFunctionFactory.CreateDeclaration(sent, (tool["description"] as JsonValue)?.GetValue<string>(), document.RootElement.Clone()));
        }

        return new ToolOffer(declared, originals);
    }

    /// <summary>The calls in the response as <c>[{name, arguments}]</c> with the item's own names; the reply's text when it made none.</summary>
    public string Output(ChatResponse response)
    {
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        if (calls.Count == 0)
        {
            return response.Text;
        }

        var list = new JsonArray();
        foreach (var call in calls)
        {
            var arguments = new JsonObject();
            foreach (var (key, value) in call.Arguments ?? new Dictionary<string, object?>())
            {
                arguments[key] = value switch
                {
                    null => null,
                    JsonElement e => JsonNode.Parse(e.GetRawText()),
                    JsonNode n => n.DeepClone(),
                    _ => JsonSerializer.SerializeToNode(value, AIJsonUtilities.DefaultOptions),
                };
            }

            list.Add(new JsonObject { ["name"] = originals.GetValueOrDefault(call.Name, call.Name), ["arguments"] = arguments });
        }

        return list.ToJsonString(FieldPath.Unescaped);
    }

    /// <summary>BFCL's Python type names as JSON Schema's, all the way down.</summary>
    private static JsonNode? JsonSchema(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                var result = new JsonObject();
                foreach (var (key, value) in o)
                {
                    if (key == "type" && value is JsonValue t && t.GetValueKind() == JsonValueKind.String)
                    {
                        var type = t.GetValue<string>() switch
                        {
                            "dict" => "object",
                            "float" => "number",
                            "tuple" => "array",
                            "any" => null,
                            var other => other,
                        };
                        if (type is not null)
                        {
                            result["type"] = type;
                        }
                    }
                    else
                    {
                        result[key] = key is "properties" && value is JsonObject properties
                            ? new JsonObject(properties.Select(p => KeyValuePair.Create(p.Key, JsonSchema(p.Value))))
                            : JsonSchema(value);
                    }
                }

                return result;
            case JsonArray a:
                return new JsonArray([.. a.Select(JsonSchema)]);
            default:
                return node?.DeepClone();
        }
    }

    [GeneratedRegex("[^a-zA-Z0-9_-]")]
    private static partial Regex ProviderName();
}
