using System.Text;
using System.Text.Json.Nodes;

namespace AdaptLab.Metrics.ToolCalls;

/// <summary>
/// BFCL's value checks, once the type has passed. A variable, and any value not a string, list or dict, must equal an
/// acceptable value as Python's <c>in</c> has it. Otherwise strings compare standardised (<see cref="Standardize"/>),
/// and so do the string items of a list and the string values of a dict, one level deep only; a dict's acceptable
/// value maps each key to its acceptable values; <c>""</c> among a list parameter's acceptable values accepts <c>[]</c>.
/// </summary>
internal static class BfclValueCheck
{
    private static readonly JsonNode Omitted = JsonValue.Create("");

    /// <returns>Why the value is not acceptable (completing "argument 'x' …"), or null.</returns>
    public static string? Check(JsonNode? value, PythonType valueType, PythonType? itemType, bool isVariable, JsonArray acceptable)
    {
        var (accepted, detail) = (isVariable ? (PythonType?)null : valueType) switch
        {
            PythonType.Dict => Detailed(DictProblem(value, acceptable)),
            PythonType.List when itemType == PythonType.Dict => Detailed(ListOfDictsProblem(value!.AsArray(), acceptable)),
            PythonType.Str => (acceptable.Any(a => SameStandardized(value, a)), null),
            PythonType.List => (acceptable.Any(a => SameList(value!.AsArray(), PythonValue.Indexed(a))), null),
            _ => (PythonValue.In(value, acceptable), null),
        };
        return accepted ? null : Shown.NotOneOf(value, valueType, acceptable) + (detail is null ? "" : ": " + detail);
    }

    private static (bool Accepted, string? Detail) Detailed(string? problem) => (problem is null, problem);

    /// <summary>BFCL's <c>standardize_string</c>: without ASCII spaces and <c>,./-_*^</c>, lower case, single quotes as double.</summary>
    internal static string Standardize(string text)
    {
        var kept = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (" ,./-_*^".IndexOf(c) < 0)
            {
                kept.Append(c);
            }
        }

        return kept.ToString().ToLowerInvariant().Replace('\'', '"');
    }

    /// <summary>Python's <c>==</c> after standardising both sides where they are strings.</summary>
    private static bool SameStandardized(JsonNode? value, JsonNode? acceptable) =>
        PythonValue.TypeOf(value) == PythonType.Str && PythonValue.TypeOf(acceptable) == PythonType.Str
            ? Standardize(value!.GetValue<string>()) == Standardize(acceptable!.GetValue<string>())
            : PythonValue.Equal(value, acceptable);

    private static bool SameList(JsonArray items, IReadOnlyList<JsonNode?>? acceptable) =>
        acceptable is not null && items.Count == acceptable.Count && items.Zip(acceptable).All(p => SameStandardized(p.First, p.Second));

    /// <summary>BFCL's <c>dict_checker</c>: null when an acceptable dict takes the value, else why the last one tried does not.</summary>
    private static string? DictProblem(JsonNode? value, IEnumerable<JsonNode?> acceptable)
    {
        var problem = "no acceptable value is a dict";
        foreach (var answer in acceptable.Where(a => !PythonValue.IsEmptyString(a)))
        {
            if (KeyProblem(value, answer) is not { } mismatch)
            {
                return null;
            }

            problem = mismatch;
        }

        return problem;
    }

    private static string? KeyProblem(JsonNode? value, JsonNode? answer)
    {
        if (value is not JsonObject dict || answer is not JsonObject keys)
        {
            // Python raises or fails on either; no dict takes a non-dict, and a non-dict takes nothing.
            return value is JsonObject ? $"the acceptable value {Shown.Json(answer)} is not a dict" : $"{Shown.Json(value)} is not a dict";
        }

        foreach (var (key, item) in dict)
        {
            if (!keys.TryGetPropertyValue(key, out var options))
            {
                return $"key '{key}' is unexpected (keys: {string.Join(", ", keys.Select(k => k.Key))})";
            }

            var choices = PythonValue.Indexed(options);
            if (choices is null || !choices.Any(c => SameStandardized(item, c)))
            {
                return $"key '{key}' {Shown.NotOneOf(item, PythonValue.TypeOf(item), choices ?? [options])}";
            }
        }

        foreach (var (key, options) in keys)
        {
            if (!dict.ContainsKey(key) && !PythonValue.In(Omitted, options))
            {
                return $"key '{key}' is missing (acceptable: {Shown.Acceptable(PythonValue.Indexed(options) ?? [options])})";
            }
        }

        return null;
    }

    /// <summary>BFCL's <c>list_dict_checker</c>: the dicts pair with an acceptable list's, in order.</summary>
    private static string? ListOfDictsProblem(JsonArray items, JsonArray acceptable)
    {
        var problem = "no value is acceptable";
        foreach (var answer in acceptable)
        {
            if (PythonValue.Indexed(answer) is not { } dicts)
            {
                problem = $"{Shown.Json(answer)} is not a list";
                continue;
            }

            if (dicts.Count != items.Count)
            {
                problem = $"it has {items.Count} where {dicts.Count} are expected";
                continue;
            }

            var mismatch = items.Select((item, i) => DictProblem(item, [dicts[i]]) is { } why ? $"item {i + 1}: {why}" : null).FirstOrDefault(why => why is not null);
            if (mismatch is null)
            {
                return null;
            }

            problem = mismatch;
        }

        return problem;
    }
}
