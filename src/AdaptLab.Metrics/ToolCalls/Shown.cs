using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdaptLab.Metrics.ToolCalls;

/// <summary>Values as a reason shows them: JSON, readable, and typed wherever types differ so that no two look alike.</summary>
internal static class Shown
{
    // Reasons are read by people, not parsed: é stays é rather than \u00E9.
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Json(JsonNode? value) => value?.ToJsonString(Readable) ?? "null";

    /// <summary>"is V, not one of A, B".</summary>
    public static string NotOneOf(JsonNode? value, PythonType valueType, IEnumerable<JsonNode?> acceptable) =>
        $"is {Typed(value, valueType, Mixed(acceptable, valueType))}, not one of {Acceptable(acceptable, valueType)}";

    /// <summary>
    /// The acceptable values, <c>""</c> shown as "may be omitted", each with its JSON type when their types (and the
    /// rejected value's, if any) differ: <c>1 (integer)</c> against <c>1.0 (float)</c>, <c>"true" (string)</c> against <c>true (boolean)</c>.
    /// </summary>
    public static string Acceptable(IEnumerable<JsonNode?> acceptable, PythonType? valueType = null)
    {
        if (!acceptable.Any())
        {
            return "none (the expected call lists no value)";
        }

        var mixed = Mixed(acceptable, valueType);
        return string.Join(", ", acceptable.Select(a => PythonValue.IsEmptyString(a) ? "\"\" (may be omitted)" : Typed(a, PythonValue.TypeOf(a), mixed)));
    }

    private static bool Mixed(IEnumerable<JsonNode?> acceptable, PythonType? valueType)
    {
        var types = acceptable.Where(a => !PythonValue.IsEmptyString(a)).Select(PythonValue.TypeOf).ToHashSet();
        if (valueType is { } type)
        {
            types.Add(type);
        }

        return types.Count > 1;
    }

    private static string Typed(JsonNode? value, PythonType type, bool withType) => withType ? $"{Json(value)} ({PythonValue.Name(type)})" : Json(value);
}
