namespace AdaptLab.Engine.ChatTemplates.Jinja;

/// <summary>
/// A template value, with @huggingface/jinja's semantics: truthiness is Python's (empty containers are false),
/// output text is JavaScript's (booleans print as true/false, none and undefined print nothing).
/// </summary>
internal abstract class JinjaValue
{
    public abstract string TypeName { get; }

    public virtual bool IsTruthy => true;

    public abstract override string ToString();
}

internal sealed class UndefinedValue : JinjaValue
{
    public static readonly UndefinedValue Instance = new();

    public override string TypeName => "undefined";

    public override bool IsTruthy => false;

    public override string ToString() => "";
}

internal sealed class NullValue : JinjaValue
{
    public static readonly NullValue Instance = new();

    public override string TypeName => "none";

    public override bool IsTruthy => false;

    public override string ToString() => "";
}

internal sealed class BoolValue(bool value) : JinjaValue
{
    public static readonly BoolValue True = new(true);
    public static readonly BoolValue False = new(false);

    public bool Value => value;

    public override string TypeName => "boolean";

    public override bool IsTruthy => value;

    public static BoolValue Of(bool value) => value ? True : False;

    public override string ToString() => value ? "true" : "false";
}

internal sealed class IntegerValue(long value) : JinjaValue
{
    public long Value => value;

    public override string TypeName => "integer";

    public override bool IsTruthy => value != 0;

    public override string ToString() => JsNumber.Format(value);
}

internal sealed class FloatValue(double value) : JinjaValue
{
    public double Value => value;

    public override string TypeName => "float";

    public override bool IsTruthy => value != 0 && !double.IsNaN(value);

    public override string ToString() =>
        value == 0 && double.IsNegative(value) ? "-0.0"
        : Math.Abs(value) < 1e21 && value == Math.Floor(value) ? JsNumber.Format(value) + ".0"
        : JsNumber.Format(value);
}

internal sealed class StringValue(string value) : JinjaValue
{
    public string Value => value;

    public override string TypeName => "string";

    public override bool IsTruthy => value.Length > 0;

    public override string ToString() => value;
}

/// <summary>A list or tuple; containers compare by reference, as in the reference renderer.</summary>
internal sealed class ArrayValue(List<JinjaValue> items, bool isTuple = false) : JinjaValue
{
    public List<JinjaValue> Items => items;

    public bool IsTuple => isTuple;

    public override string TypeName => isTuple ? "tuple" : "list";

    public override bool IsTruthy => items.Count > 0;

    public override string ToString() => JinjaJson.Serialize(this, new JinjaJson.Options(), undefinedAsNull: false);
}

/// <summary>A mapping in insertion order; keyword arguments passed to a function are one too.</summary>
internal sealed class ObjectValue(Dictionary<string, JinjaValue> entries, bool isKeywordArguments = false) : JinjaValue
{
    public Dictionary<string, JinjaValue> Entries => entries;

    public bool IsKeywordArguments => isKeywordArguments;

    public override string TypeName => "dict";

    public override bool IsTruthy => entries.Count > 0;

    public override string ToString() => JinjaJson.Serialize(this, new JinjaJson.Options(), undefinedAsNull: false);
}

/// <summary>What namespace() returns: the one object whose attributes <c>set</c> may assign.</summary>
internal sealed class NamespaceValue(Dictionary<string, JinjaValue> entries) : JinjaValue
{
    public Dictionary<string, JinjaValue> Entries => entries;

    public override string TypeName => "namespace";

    public override string ToString() => JinjaJson.Serialize(this, new JinjaJson.Options(), undefinedAsNull: false);
}

internal delegate JinjaValue JinjaFunction(List<JinjaValue> arguments, JinjaEnvironment caller);

internal sealed class FunctionValue(JinjaFunction function) : JinjaValue
{
    public JinjaFunction Function => function;

    public override string TypeName => "function";

    public override string ToString() => "[function]";
}
