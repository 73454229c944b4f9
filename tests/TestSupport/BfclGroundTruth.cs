using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdaptLab.Tests.Support;

/// <summary>
/// The calls BFCL's ground truth describes, as a model would make them: each parameter left out where "" is
/// acceptable and the tool does not require it, else given its first other acceptable value (dicts, also inside
/// lists, hold a list of acceptable values per key).
/// </summary>
public static class BfclGroundTruth
{
    /// <summary>The category's records (id, question, function) with their expected calls (none for irrelevance).</summary>
    public static IEnumerable<(JsonNode Record, JsonArray Expected)> Load(string category)
    {
        var answers = category == "irrelevance" ? null : File.ReadLines(SharedData.Path("datasets", "bfcl", "possible_answer", $"BFCL_v4_{category}.json"))
            .Select(l => JsonNode.Parse(l)!).ToDictionary(a => (string)a["id"]!, a => a["ground_truth"]!.AsArray());
        return File.ReadLines(SharedData.Path("datasets", "bfcl", $"BFCL_v4_{category}.json"))
            .Select(l => JsonNode.Parse(l)!)
            .Select(r => (r, answers?[(string)r["id"]!] ?? []));
    }

    /// <summary>The expected calls as <c>[{name, arguments}]</c>.</summary>
    public static JsonArray Calls(JsonNode record, JsonArray expected) => new([.. expected.Select(c =>
    {
        var (name, parameters) = c!.AsObject().Single();
        var required = record["function"]!.AsArray().First(f => (string)f!["name"]! == name)!["parameters"]!["required"]?.AsArray()
            .Select(r => (string)r!).ToHashSet() ?? [];
        var arguments = new JsonObject();
        foreach (var (parameter, acceptable) in parameters!.AsObject())
        {
            if (Pick(acceptable!.AsArray(), required.Contains(parameter)) is { } value)
            {
                arguments[parameter] = value;
            }
        }

        return (JsonNode)new JsonObject { ["name"] = name, ["arguments"] = arguments };
    })]);

    private static bool Omitted(JsonNode? a) => a is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length == 0;

    private static JsonNode? Pick(JsonArray acceptable, bool required = false) =>
        acceptable.Any(Omitted) && !required ? null : Concrete(acceptable.FirstOrDefault(a => !Omitted(a)));

    private static JsonNode? Concrete(JsonNode? value)
    {
        switch (value)
        {
            case JsonArray list:
                return new JsonArray([.. list.Select(Concrete)]);
            case JsonObject dict:
                var result = new JsonObject();
                foreach (var (key, options) in dict)
                {
                    if ((options is JsonArray alternatives ? Pick(alternatives) : Concrete(options)) is { } picked)
                    {
                        result[key] = picked;
                    }
                }

                return result;
            default:
                return value?.DeepClone();
        }
    }
}
