using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace AdaptLab.Core.Tasks;

/// <summary>The published JSON Schema of task files (schema/adaptlab.schema.json, embedded).</summary>
public static class TaskSchema
{
    private static readonly Lazy<string> TextLazy = new(() =>
    {
        using var stream = typeof(TaskSchema).Assembly.GetManifestResourceStream("adaptlab.schema.json")
            ?? throw new InvalidOperationException("the task schema is not embedded");
        return new StreamReader(stream).ReadToEnd();
    });

    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(TextLazy.Value));

    public static string Text => TextLazy.Value;

    /// <summary>Validation errors as (JSON pointer, message), the most specific first; empty when valid.</summary>
    internal static IReadOnlyList<(string Pointer, string Message)> Validate(JsonNode? document)
    {
        using var json = JsonDocument.Parse(document?.ToJsonString() ?? "null");
        var result = Schema.Value.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return [];
        }

        return (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => (Pointer: d.InstanceLocation.ToString(), Keyword: e.Key, e.Value)))
            .Where(e => e.Keyword is not ("oneOf" or "$ref"))
            .OrderByDescending(e => e.Pointer.Count(c => c == '/'))
            .Select(e => (e.Pointer, e.Value))
            .Distinct()
            .ToList();
    }
}
