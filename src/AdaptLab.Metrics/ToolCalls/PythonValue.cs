using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdaptLab.Metrics.ToolCalls;

/// <summary>The Python type a JSON value becomes under <c>json.loads</c>, which is what BFCL's checker compares.</summary>
internal enum PythonType
{
    None,
    Bool,
    Int,
    Float,
    Str,
    List,
    Dict,
}

/// <summary>
/// JSON values seen as Python sees them, so that the checker's <c>type(x) == t</c>, <c>==</c> and <c>in</c> give
/// Python's answers: <c>true == 1 == 1.0</c>, a number without <c>.</c> or exponent is an int, strings compare exactly.
/// </summary>
internal static class PythonValue
{
    public static PythonType TypeOf(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => PythonType.None,
        JsonValueKind.True or JsonValueKind.False => PythonType.Bool,
        JsonValueKind.Number => IsIntegerLiteral(node.AsValue()) ? PythonType.Int : PythonType.Float,
        JsonValueKind.String => PythonType.Str,
        JsonValueKind.Array => PythonType.List,
        _ => PythonType.Dict,
    };

    /// <summary>The name BFCL's tool schemas give the type (what <c>PYTHON_TYPE_MAPPING</c> maps from).</summary>
    public static string Name(PythonType type) => type switch
    {
        PythonType.None => "null",
        PythonType.Bool => "boolean",
        PythonType.Int => "integer",
        PythonType.Float => "float",
        PythonType.Str => "string",
        PythonType.List => "array",
        _ => "dict",
    };

    /// <summary>"a string", "an integer", "null".</summary>
    public static string WithArticle(PythonType type) => type switch
    {
        PythonType.None => "null",
        PythonType.Int or PythonType.List => "an " + Name(type),
        _ => "a " + Name(type),
    };

    public static bool IsEmptyString(JsonNode? node) => TypeOf(node) == PythonType.Str && node!.GetValue<string>().Length == 0;

    /// <summary>Python's <c>a == b</c>.</summary>
    public static bool Equal(JsonNode? a, JsonNode? b)
    {
        var (ta, tb) = (TypeOf(a), TypeOf(b));
        if (ta is PythonType.Bool or PythonType.Int or PythonType.Float && tb is PythonType.Bool or PythonType.Int or PythonType.Float)
        {
            return NumbersEqual(a!, ta, b!, tb);
        }

        return ta == tb && ta switch
        {
            PythonType.None => true,
            PythonType.Str => a!.GetValue<string>() == b!.GetValue<string>(),
            PythonType.List => a!.AsArray().Count == b!.AsArray().Count && a.AsArray().Zip(b.AsArray()).All(p => Equal(p.First, p.Second)),
            _ => a!.AsObject().Count == b!.AsObject().Count && a.AsObject().All(kv => b.AsObject().TryGetPropertyValue(kv.Key, out var other) && Equal(kv.Value, other)),
        };
    }

    /// <summary>Python's <c>item in container</c>: a list holds equal items, a string substrings, a dict keys; else Python raises, and nothing is in it.</summary>
    public static bool In(JsonNode? item, JsonNode? container) => TypeOf(container) switch
    {
        PythonType.List => container!.AsArray().Any(c => Equal(item, c)),
        PythonType.Str => TypeOf(item) == PythonType.Str && container!.GetValue<string>().Contains(item!.GetValue<string>(), StringComparison.Ordinal),
        PythonType.Dict => TypeOf(item) == PythonType.Str && container!.AsObject().ContainsKey(item!.GetValue<string>()),
        _ => false,
    };

    /// <summary>
    /// <c>[x[j] for j in range(len(x))]</c>, as BFCL reads a list of acceptable values: a list's items, a string's
    /// characters (so <c>""</c> reads as <c>[]</c>), an empty dict's nothing; null where Python raises.
    /// </summary>
    public static IReadOnlyList<JsonNode?>? Indexed(JsonNode? node) => TypeOf(node) switch
    {
        PythonType.List => [.. node!.AsArray()],
        PythonType.Str => [.. node!.GetValue<string>().EnumerateRunes().Select(r => (JsonNode?)JsonValue.Create(r.ToString()))],
        PythonType.Dict when node!.AsObject().Count == 0 => [],
        _ => null,
    };

    private static bool IsIntegerLiteral(JsonValue number) => Literal(number).IndexOfAny(['.', 'e', 'E']) < 0;

    /// <summary>The number as written: JSON keeps <c>1.0</c> and <c>1</c> apart, as <c>json.loads</c> does.</summary>
    private static string Literal(JsonNode number) =>
        number.AsValue().TryGetValue<JsonElement>(out var element) ? element.GetRawText() : number.ToJsonString();

    private static bool NumbersEqual(JsonNode a, PythonType ta, JsonNode b, PythonType tb)
    {
        if (ta == PythonType.Float && tb == PythonType.Float)
        {
            return Real(a) == Real(b);
        }

        if (ta != PythonType.Float && tb != PythonType.Float)
        {
            return Integer(a) == Integer(b);
        }

        // Python compares an int with a float exactly, not through a rounded float.
        var (real, integer) = ta == PythonType.Float ? (Real(a), Integer(b)) : (Real(b), Integer(a));
        return double.IsFinite(real) && Math.Floor(real) == real && new BigInteger(real) == integer;
    }

    private static double Real(JsonNode node) => double.Parse(Literal(node), CultureInfo.InvariantCulture);

    private static BigInteger Integer(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.True => BigInteger.One,
        JsonValueKind.False => BigInteger.Zero,
        _ => BigInteger.Parse(Literal(node), CultureInfo.InvariantCulture),
    };
}
