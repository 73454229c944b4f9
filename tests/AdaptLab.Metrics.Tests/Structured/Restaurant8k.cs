using System.Text.Json;
using System.Text.Json.Nodes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Metrics.Tests.Structured;

/// <summary>Restaurant8k test utterances with their slot labels as the JSON object a model should extract.</summary>
internal static class Restaurant8k
{
    public static List<(string Text, JsonObject Slots)> Test()
    {
        using var stream = File.OpenRead(SharedData.Path("datasets", "restaurant8k", "test.json"));
        using var document = JsonDocument.Parse(stream);
        var rows = new List<(string, JsonObject)>();
        foreach (var row in document.RootElement.EnumerateArray())
        {
            var text = row.GetProperty("userInput").GetProperty("text").GetString()!;
            var slots = new JsonObject();
            if (row.TryGetProperty("labels", out var labels))
            {
                foreach (var label in labels.EnumerateArray())
                {
                    var span = label.GetProperty("valueSpan");
                    var start = span.TryGetProperty("startIndex", out var s) ? s.GetInt32() : 0;
                    slots[label.GetProperty("slot").GetString()!] = text[start..span.GetProperty("endIndex").GetInt32()];
                }
            }

            rows.Add((text, slots));
        }

        return rows;
    }
}
