using System.Text.Json.Nodes;

namespace AdaptLab.Core.Items;

/// <summary>
/// Turns span annotations <c>[{slot, valueSpan: {startIndex, endIndex}}]</c> over a text into the JSON
/// object <c>{"slot": "value"}</c> an extraction model is asked to produce (a missing startIndex is 0).
/// </summary>
internal static class SpanSlots
{
    public static string ToJson(IReadOnlyList<JsonNode?> spans, string text, Func<string, Exception> error)
    {
        var result = new JsonObject();
        foreach (var span in spans.SelectMany(s => s as JsonArray ?? [s]))
        {
            var slot = span?["slot"]?.GetValue<string>() ?? throw error("a span has no 'slot'");
            var range = span["valueSpan"] ?? throw error($"span '{slot}' has no 'valueSpan'");
            var start = range["startIndex"]?.GetValue<int>() ?? 0;
            var end = range["endIndex"]?.GetValue<int>() ?? throw error($"span '{slot}' has no 'endIndex'");
            if (start < 0 || end > text.Length || start > end)
            {
                throw error($"span '{slot}' [{start}, {end}) lies outside the text of length {text.Length}");
            }

            result[slot] = text[start..end];
        }

        return result.ToJsonString();
    }
}
