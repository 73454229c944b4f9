using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdaptLab.Metrics.ToolCalls;

/// <summary>One call a model made: the tool's name and its arguments.</summary>
public sealed record ToolCall(string Name, JsonObject Arguments)
{
    /// <summary>
    /// The calls in a prediction: a JSON array of <c>{name, arguments}</c> (arguments an object, or a string holding
    /// one, as OpenAI sends them). Anything else, plain text included, is no call.
    /// </summary>
    public static IReadOnlyList<ToolCall> ParseAll(string prediction)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(prediction);
        }
        catch (JsonException)
        {
            return [];
        }

        if (root is not JsonArray calls)
        {
            return [];
        }

        var result = new List<ToolCall>();
        foreach (var call in calls)
        {
            if (call?["name"] is not JsonValue name || name.GetValueKind() != JsonValueKind.String)
            {
                continue;
            }

            var arguments = call["arguments"] switch
            {
                JsonObject o => (JsonObject)o.DeepClone(),
                JsonValue s when s.GetValueKind() == JsonValueKind.String => ParseObject(s.GetValue<string>()),
                _ => [],
            };
            result.Add(new ToolCall(name.GetValue<string>(), arguments));
        }

        return result;
    }

    private static JsonObject ParseObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
