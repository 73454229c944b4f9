using System.Text.Json.Nodes;

namespace AdaptLab.Metrics.ToolCalls;

/// <summary>
/// BFCL's <c>type_checker</c>. A value of the parameter's schema type passes (arrays item by item, one level deep);
/// so does a value of the acceptable values' own type, the type of the first that is not <c>""</c>: that value is a
/// "variable" (BFCL's <c>data['sales']</c> for an array, <c>true</c> for a string, <c>null</c> for an omitted float),
/// and a variable is then compared exactly, without standardisation.
/// </summary>
internal static class BfclTypeCheck
{
    /// <summary>
    /// BFCL's <c>PYTHON_TYPE_MAPPING</c> (where <c>any</c> means a string), plus JSON Schema's <c>object</c> and
    /// <c>number</c>; null for a missing or unknown type, on which BFCL raises and we take the value's own type.
    /// </summary>
    public static PythonType? Mapped(string? type) => type switch
    {
        "string" or "any" => PythonType.Str,
        "integer" => PythonType.Int,
        "float" or "number" => PythonType.Float,
        "boolean" => PythonType.Bool,
        "array" or "tuple" => PythonType.List,
        "dict" or "object" => PythonType.Dict,
        _ => null,
    };

    /// <summary>The type of the first acceptable value that is not <c>""</c> (BFCL's <c>get_possible_answer_type</c>).</summary>
    private static PythonType? AnswerType(IEnumerable<JsonNode?> acceptable) =>
        acceptable.Where(a => !PythonValue.IsEmptyString(a)).Select(a => (PythonType?)PythonValue.TypeOf(a)).FirstOrDefault();

    /// <returns>Why the value's type is not acceptable (completing "argument 'x' …"), or null.</returns>
    /// <param name="isVariable">Whether BFCL treats the value as a variable, to be compared exactly.</param>
    public static string? Check(JsonNode? value, PythonType valueType, string typeName, PythonType expected, PythonType? itemType, JsonArray acceptable, out bool isVariable)
    {
        var answerType = AnswerType(acceptable);
        // BFCL flags a variable whenever the acceptable values are not of the schema's type, even for a value that is.
        isVariable = answerType is { } own && own != expected;
        if (valueType == expected)
        {
            return itemType is { } items ? ItemProblem(value!.AsArray(), items, acceptable) : null;
        }

        if (valueType == answerType)
        {
            isVariable = true;
            return null;
        }

        var alternative = answerType is { } other && other != expected ? $" (or {PythonValue.Name(other)}, as the acceptable values are)" : "";
        return $"should be {typeName}{alternative}, not {PythonValue.WithArticle(valueType)}: {Shown.Json(value)} (acceptable: {Shown.Acceptable(acceptable, valueType)})";
    }

    /// <summary>
    /// The items pass against some acceptable value: at once against one that is not a list (<c>""</c> included), else
    /// each item of the item type or of that list's own answer type. No promotion of integers here, as in BFCL.
    /// </summary>
    private static string? ItemProblem(JsonArray items, PythonType itemType, JsonArray acceptable)
    {
        bool Fits(JsonNode? item, PythonType? answerType) => PythonValue.TypeOf(item) == itemType || PythonValue.TypeOf(item) == answerType;
        if (acceptable.Any(a => a is not JsonArray answer || items.All(item => Fits(item, AnswerType(answer)))))
        {
            return null;
        }

        if (acceptable.Count == 0)
        {
            return Shown.NotOneOf(items, PythonType.List, acceptable);
        }

        // Every acceptable value is then a list that rejects an item: name the one the first list rejects.
        var first = acceptable[0]!.AsArray();
        var rejected = items.First(item => !Fits(item, AnswerType(first)));
        var alternative = AnswerType(first) is { } other && other != itemType ? $" (or {PythonValue.Name(other)}, as in the acceptable values)" : "";
        return $"has an item {Shown.Json(rejected)} that is {PythonValue.WithArticle(PythonValue.TypeOf(rejected))}, where the items should be {PythonValue.Name(itemType)}{alternative} " +
            $"(acceptable: {Shown.Acceptable(acceptable, PythonType.List)})";
    }
}
