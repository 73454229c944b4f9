using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdaptLab.Metrics.ToolCalls;

/// <summary>
/// Whether a model's tool calls match the expected ones, as the Berkeley Function Calling Leaderboard's AST checker
/// (bfcl_eval/eval_checker/ast_eval/ast_checker.py) decides it. The expected calls are a list of
/// <c>{name: {parameter: [acceptable values]}}</c>; <c>""</c> among the acceptable values lets the parameter be left out.
/// A call matches when its name is right, every required parameter is there, none is unknown, each value has its
/// parameter's type (an integer is accepted for a float) and is one of the acceptable values (strings compared
/// without spaces and <c>,./-_*^</c>, case-insensitively); several expected calls match in any order. An empty list
/// expects no call at all. As there, a string given for a parameter of another type passes the type check when it is
/// literally one of the expected values (a variable reference such as <c>data['sales']</c>).
/// </summary>
public static class BfclAstChecker
{
    /// <returns>Null when the calls match; else why not, naming the call and the argument.</returns>
    public static string? Check(IReadOnlyList<ToolCall> calls, JsonArray expected, IReadOnlyList<OfferedTool> tools)
    {
        if (expected.Count == 0)
        {
            return calls.Count == 0 ? null : $"no call was expected (none of the tools fits), but the model called {string.Join(", ", calls.Select(c => c.Name))}";
        }

        if (calls.Count != expected.Count)
        {
            return calls.Count == 0
                ? $"no call was made; expected {Names(expected)}"
                : $"expected {expected.Count} call(s) ({Names(expected)}), got {calls.Count} ({string.Join(", ", calls.Select(c => c.Name))})";
        }

        if (calls.Count == 1)
        {
            return CheckOne(calls[0], (JsonObject)expected[0]!, tools);
        }

        // Parallel calls match in any order: a perfect matching of expected to made calls, by backtracking (lists are short).
        var fits = expected.Select(e => calls.Select(c => CheckOne(c, (JsonObject)e!, tools)).ToArray()).ToArray();
        var used = new bool[calls.Count];
        if (Assign(0, fits, used))
        {
            return null;
        }

        var unmatched = Enumerable.Range(0, expected.Count).First(i => fits[i].All(r => r is not null));
        var closest = fits[unmatched].FirstOrDefault(r => r is not null && !r.StartsWith("called '", StringComparison.Ordinal)) ?? fits[unmatched][0];
        return $"expected call {unmatched + 1} ({Names([expected[unmatched]!.DeepClone()])}) matches no call made: {closest}";
    }

    private static bool Assign(int index, string?[][] fits, bool[] used)
    {
        if (index == fits.Length)
        {
            return true;
        }

        for (var c = 0; c < used.Length; c++)
        {
            if (!used[c] && fits[index][c] is null)
            {
                used[c] = true;
                if (Assign(index + 1, fits, used))
                {
                    return true;
                }

                used[c] = false;
            }
        }

        return false;
    }

    private static string? CheckOne(ToolCall call, JsonObject expected, IReadOnlyList<OfferedTool> tools)
    {
        var (name, answerNode) = expected.Single();
        if (call.Name != name)
        {
            return $"called '{call.Name}' instead of '{name}'";
        }

        if (tools.FirstOrDefault(t => t.Name == name) is not { } tool)
        {
            return $"'{name}' is expected but not among the offered tools";
        }

        var answers = (JsonObject)answerNode!;
        if (tool.CheckArguments(call.Arguments, (parameter, value) => answers[parameter] is JsonArray acceptable && acceptable.Any(a => JsonNode.DeepEquals(a, value))) is { } problem)
        {
            return problem;
        }

        foreach (var (parameter, value) in call.Arguments)
        {
            if (answers[parameter] is not JsonArray acceptable)
            {
                return $"{name}: unexpected argument '{parameter}'";
            }

            if (!acceptable.Any(a => Same(value, a)))
            {
                return $"{name}: argument '{parameter}' is {value?.ToJsonString() ?? "null"}, not one of " +
                    string.Join(", ", acceptable.Where(a => !IsOmitted(a)).Select(a => a?.ToJsonString() ?? "null"));
            }
        }

        foreach (var (parameter, acceptable) in answers)
        {
            if (!call.Arguments.ContainsKey(parameter) && !((JsonArray)acceptable!).Any(IsOmitted))
            {
                return $"{name}: missing argument '{parameter}' (expected one of {string.Join(", ", ((JsonArray)acceptable!).Select(a => a?.ToJsonString()))})";
            }
        }

        return null;
    }

    private static bool IsOmitted(JsonNode? acceptable) => OfferedTool.Kind(acceptable) == JsonValueKind.String && acceptable!.GetValue<string>().Length == 0;

    /// <summary>A value against one acceptable value: strings standardised, numbers by value, lists item by item, dicts key by key.</summary>
    private static bool Same(JsonNode? value, JsonNode? acceptable)
    {
        switch (value)
        {
            case JsonArray items:
                return acceptable is JsonArray expected && items.Count == expected.Count && items.Zip(expected).All(p => Same(p.First, p.Second));
            case JsonObject dict:
                // A dict parameter's acceptable value maps each key to a list of acceptable values, "" again meaning optional.
                return acceptable is JsonObject keys
                    && dict.All(kv => keys[kv.Key] is JsonArray options ? options.Any(o => Same(kv.Value, o)) : keys[kv.Key] is { } one && Same(kv.Value, one))
                    && keys.Where(kv => !dict.ContainsKey(kv.Key)).All(kv => kv.Value is JsonArray options && options.Any(IsOmitted));
        }

        var kind = OfferedTool.Kind(value);
        var expectedKind = OfferedTool.Kind(acceptable);
        return kind switch
        {
            JsonValueKind.String => expectedKind == JsonValueKind.String && Standardize(value!.GetValue<string>()) == Standardize(acceptable!.GetValue<string>()),
            JsonValueKind.Number => expectedKind == JsonValueKind.Number && value!.GetValue<double>() == acceptable!.GetValue<double>(),
            _ => JsonNode.DeepEquals(value, acceptable),
        };
    }

    /// <summary>BFCL's <c>standardize_string</c>: without spaces and <c>,./-_*^</c>, lower case, single quotes as double.</summary>
    internal static string Standardize(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (" ,./-_*^".IndexOf(c) < 0)
            {
                result.Append(c == '\'' ? '"' : char.ToLowerInvariant(c));
            }
        }

        return result.ToString();
    }

    private static string Names(JsonArray expected) => string.Join(", ", expected.Select(e => ((JsonObject)e!).Single().Key));
}
