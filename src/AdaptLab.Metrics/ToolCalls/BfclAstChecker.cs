using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdaptLab.Metrics.ToolCalls;

/// <summary>
/// Whether a model's tool calls match the expected ones, as the Berkeley Function Calling Leaderboard's AST checker
/// (bfcl_eval/eval_checker/ast_eval/ast_checker.py, its Python path) decides it. The expected calls are a list of
/// <c>{name: {parameter: [acceptable values]}}</c>; <c>""</c> among the acceptable values lets the parameter be left out.
/// A call matches when its name is right, every required parameter is there, none is unknown or unexpected, and each
/// value passes <see cref="BfclTypeCheck"/> and then <see cref="BfclValueCheck"/>. Several expected calls are matched
/// as BFCL does, greedily: each in turn takes the first call left that it accepts, so a call taken early is not
/// reconsidered. An empty list expects no call at all. Beyond BFCL, which raises on them: a parameter without a known
/// type is taken to have its value's type, an array without an item type has its items unchecked, a tool without
/// <c>required</c> requires nothing.
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

        // Which expected call took each call: BFCL pairs each expected call in turn with the first call left that it accepts.
        var taken = new int?[calls.Count];
        for (var e = 0; e < expected.Count; e++)
        {
            var wanted = (JsonObject)expected[e]!;
            var reasons = new List<string>();
            var match = -1;
            for (var c = 0; c < calls.Count && match < 0; c++)
            {
                if (taken[c] is not null)
                {
                    continue;
                }

                if (CheckOne(calls[c], wanted, tools) is { } reason)
                {
                    reasons.Add(reason);
                }
                else
                {
                    match = c;
                }
            }

            if (match < 0)
            {
                return Unmatched(calls, taken, e, wanted, reasons, tools);
            }

            taken[match] = e;
        }

        return null;
    }

    private static string Unmatched(IReadOnlyList<ToolCall> calls, int?[] taken, int index, JsonObject wanted, List<string> reasons, IReadOnlyList<OfferedTool> tools)
    {
        var closest = reasons.FirstOrDefault(r => !r.StartsWith("called '", StringComparison.Ordinal)) ?? reasons[0];
        var lost = Enumerable.Range(0, calls.Count).FirstOrDefault(c => taken[c] is not null && CheckOne(calls[c], wanted, tools) is null, -1);
        return $"expected call {index + 1} ({wanted.Single().Key}) matches no call left: {closest}" + (lost < 0 ? "" :
            $" (call {lost + 1} would match, but expected call {taken[lost] + 1} took it first: BFCL pairs the calls greedily, in the expected order)");
    }

    /// <summary>BFCL's <c>simple_function_checker</c>: one call against one expected call.</summary>
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

        if (tool.Required.Order(StringComparer.Ordinal).FirstOrDefault(r => !call.Arguments.ContainsKey(r)) is { } missing)
        {
            return $"{name}: missing required argument '{missing}'";
        }

        var answers = (JsonObject)answerNode!;
        foreach (var (parameter, value) in call.Arguments)
        {
            if (!tool.Properties.TryGetValue(parameter, out var schema))
            {
                return $"{name}: unexpected argument '{parameter}' (parameters: {string.Join(", ", tool.Properties.Keys)})";
            }

            if (!answers.ContainsKey(parameter))
            {
                return $"{name}: unexpected argument '{parameter}' (the expected call has {string.Join(", ", answers.Select(a => a.Key))})";
            }

            if (ArgumentProblem(value, schema, Acceptable(answers, name, parameter)) is { } problem)
            {
                return $"{name}: argument '{parameter}' {problem}";
            }
        }

        foreach (var (parameter, _) in answers)
        {
            var acceptable = Acceptable(answers, name, parameter);
            if (!call.Arguments.ContainsKey(parameter) && !acceptable.Any(PythonValue.IsEmptyString))
            {
                return $"{name}: missing argument '{parameter}' (acceptable: {Shown.Acceptable(acceptable)})";
            }
        }

        return null;
    }

    private static string? ArgumentProblem(JsonNode? value, JsonNode? schema, JsonArray acceptable)
    {
        var typeName = schema?["type"] is JsonValue type && type.GetValueKind() == JsonValueKind.String ? type.GetValue<string>() : null;
        var valueType = PythonValue.TypeOf(value);
        var expected = BfclTypeCheck.Mapped(typeName) ?? valueType;
        var itemType = expected == PythonType.List && schema?["items"]?["type"] is JsonValue items && items.GetValueKind() == JsonValueKind.String
            ? BfclTypeCheck.Mapped(items.GetValue<string>())
            : null;
        if (expected == PythonType.Float && valueType == PythonType.Int)
        {
            // Python's own promotion, which BFCL applies to the argument itself and not to a list's items.
            valueType = PythonType.Float;
        }

        return BfclTypeCheck.Check(value, valueType, typeName ?? PythonValue.Name(expected), expected, itemType, acceptable, out var isVariable)
            ?? BfclValueCheck.Check(value, valueType, itemType, isVariable, acceptable);
    }

    private static JsonArray Acceptable(JsonObject answers, string name, string parameter) => answers[parameter] as JsonArray
        ?? throw new FormatException($"the expected call of '{name}' gives '{parameter}' no list of acceptable values");

    private static string Names(JsonArray expected) => string.Join(", ", expected.Select(e => ((JsonObject)e!).Single().Key));
}
