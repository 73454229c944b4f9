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
        var required = Required(record, name);
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

    /// <summary>
    /// <see cref="Calls"/> once for each acceptable value of each argument, that argument given it (or left out for
    /// <c>""</c>, unless the tool requires it); arguments the tool does not define are skipped, as BFCL rejects them.
    /// </summary>
    public static IEnumerable<(string Argument, JsonArray Calls)> Alternatives(JsonNode record, JsonArray expected)
    {
        var calls = Calls(record, expected);
        for (var i = 0; i < expected.Count; i++)
        {
            var (name, parameters) = expected[i]!.AsObject().Single();
            var required = Required(record, name);
            var defined = Tool(record, name)["parameters"]!["properties"]!.AsObject();
            foreach (var (parameter, acceptable) in parameters!.AsObject().Where(p => defined.ContainsKey(p.Key)))
            {
                foreach (var value in acceptable!.AsArray().Where(v => !Omitted(v) || !required.Contains(parameter)))
                {
                    var variant = (JsonArray)calls.DeepClone();
                    var arguments = variant[i]!["arguments"]!.AsObject();
                    arguments.Remove(parameter);
                    if (!Omitted(value))
                    {
                        arguments[parameter] = Concrete(value);
                    }

                    yield return ($"{name}.{parameter} = {value?.ToJsonString() ?? "null"}", variant);
                }
            }
        }
    }

    private static JsonNode Tool(JsonNode record, string name) => record["function"]!.AsArray().First(f => (string)f!["name"]! == name)!;

    private static HashSet<string> Required(JsonNode record, string name) =>
        Tool(record, name)["parameters"]!["required"]?.AsArray().Select(r => (string)r!).ToHashSet() ?? [];

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
