namespace AdaptLab.Engine.ChatTemplates.Jinja;

/// <summary>The tests usable after 'is' (and by selectattr/rejectattr), as the reference renderer defines them.</summary>
internal static class JinjaTests
{
    public static bool Run(string name, JinjaValue operand, JinjaValue? argument = null) => name switch
    {
        "boolean" => operand is BoolValue,
        "callable" => operand is FunctionValue,
        "odd" => AsInteger(operand, name) % 2 != 0,
        "even" => AsInteger(operand, name) % 2 == 0,
        "false" => operand is BoolValue { Value: false },
        "true" => operand is BoolValue { Value: true },
        "none" => operand is NullValue,
        "string" => operand is StringValue,
        "number" => operand is IntegerValue or FloatValue,
        "integer" => operand is IntegerValue,
        "iterable" => operand is ArrayValue or StringValue,
        "mapping" => operand is ObjectValue,
        "sequence" => operand is ArrayValue or ObjectValue or StringValue,
        "lower" => operand is StringValue s && s.Value == s.Value.ToLowerInvariant(),
        "upper" => operand is StringValue s && s.Value == s.Value.ToUpperInvariant(),
        "defined" => operand is not UndefinedValue,
        "undefined" => operand is UndefinedValue,
        "equalto" or "eq" => JinjaOperations.StrictEquals(operand, argument ?? UndefinedValue.Instance),
        _ => throw new FormatException($"Chat template uses the test '{name}', which is not supported."),
    };

    public static bool Exists(string name) =>
        name is "boolean" or "callable" or "odd" or "even" or "false" or "true" or "none" or "string" or "number" or "integer"
            or "iterable" or "mapping" or "sequence" or "lower" or "upper" or "defined" or "undefined" or "equalto" or "eq";

    private static long AsInteger(JinjaValue operand, string test) =>
        operand is IntegerValue i ? i.Value : throw new FormatException($"Chat template: the test '{test}' needs an integer, not a {operand.TypeName}.");
}
