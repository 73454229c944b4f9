using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace AdaptLab.Core.Tasks;

/// <summary>The published JSON Schema of task files (schema/adaptlab.schema.json, embedded).</summary>
internal static class TaskSchema
{
    private static readonly Lazy<string> TextLazy = new(() =>
    {
        using var stream = typeof(TaskSchema).Assembly.GetManifestResourceStream("adaptlab.schema.json")
            ?? throw new InvalidOperationException("the task schema is not embedded");
        return new StreamReader(stream).ReadToEnd();
    });

    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(TextLazy.Value));

    private static readonly Lazy<JsonNode> Document = new(() => JsonNode.Parse(TextLazy.Value)!);

    // Every key the schema defines anywhere: where an unknown key is met, the nearest is the likely typo.
    private static readonly Lazy<string[]> KnownKeys = new(() =>
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, value) in o)
                    {
                        if (key == "properties" && value is JsonObject properties)
                        {
                            keys.UnionWith(properties.Select(p => p.Key));
                        }

                        Walk(value);
                    }

                    break;
                case JsonArray a:
                    foreach (var item in a)
                    {
                        Walk(item);
                    }

                    break;
            }
        }

        Walk(Document.Value);
        return [.. keys];
    });

    public static string Text => TextLazy.Value;

    /// <summary>Validation errors as (JSON pointer, message), the most specific first; empty when valid.</summary>
    internal static IReadOnlyList<(string Pointer, string Message)> Validate(JsonNode? document)
    {
        using var json = JsonDocument.Parse(document?.ToJsonString() ?? "null");
        var result = Schema.Value.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
        var errors = new List<(string Pointer, string Keyword, string Message)>();
        Collect(result, json.RootElement, errors);
        return errors
            .Where(e => e.Keyword is not ("oneOf" or "$ref" or "unevaluatedProperties") || errors.Count == 1)
            .OrderByDescending(e => e.Pointer.Count(c => c == '/'))
            .Select(e => (e.Pointer, IsUnknownKey(e.Keyword, e.Message) ? UnknownKey(e.Pointer) : e.Message))
            .Distinct()
            .ToList();
    }

    // `additionalProperties: false` fails the key's value against the false schema, and says only that.
    private static bool IsUnknownKey(string keyword, string message) =>
        keyword == "false" || message.Contains("false schema", StringComparison.Ordinal);

    private static string UnknownKey(string pointer)
    {
        var key = pointer[(pointer.LastIndexOf('/') + 1)..].Replace("~1", "/").Replace("~0", "~");
        var near = AdaptLab.Metrics.Spelling.Closest(key, KnownKeys.Value);
        return near is null ? $"unknown key '{key}'" : $"unknown key '{key}' (did you mean '{near}'?)";
    }

    /// <summary>Errors of failed nodes only: a branch of a passing oneOf may fail without being an error.</summary>
    private static void Collect(EvaluationResults result, JsonElement document, List<(string, string, string)> errors)
    {
        if (result.IsValid)
        {
            return;
        }

        foreach (var (keyword, message) in result.Errors ?? new Dictionary<string, string>())
        {
            errors.Add((result.InstanceLocation.ToString(), keyword, keyword == "enum" ? NotAChoice(result, document) ?? message : message));
        }

        foreach (var child in result.Details ?? [])
        {
            Collect(child, document, errors);
        }
    }

    /// <summary>"'nearset' is not one of: fixed, random, ... (did you mean 'nearest'?)", from the enum the schema location names.</summary>
    private static string? NotAChoice(EvaluationResults result, JsonElement document)
    {
        JsonNode? node = Document.Value;
        foreach (var segment in result.SchemaLocation.Fragment.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node?[Uri.UnescapeDataString(segment).Replace("~1", "/").Replace("~0", "~")];
        }

        if (node?["enum"] is not JsonArray choices || result.InstanceLocation.Evaluate(document) is not { } value)
        {
            return null;
        }

        var names = choices.Select(c => c?.ToJsonString().Trim('"') ?? "null").ToList();
        var given = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        var near = AdaptLab.Metrics.Spelling.Closest(given, names);
        return $"'{given}' is not one of: {string.Join(", ", names)}" + (near is null ? string.Empty : $" (did you mean '{near}'?)");
    }
}
