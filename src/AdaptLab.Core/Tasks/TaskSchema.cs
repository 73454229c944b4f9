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

    // Every key the schema defines, with the sections that define it: where an unknown key is met, the nearest is the
    // likely typo, and a key of another section was put in the wrong place.
    private static readonly Lazy<Dictionary<string, string[]>> KnownKeys = new(() =>
    {
        var owners = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var references = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        void Walk(JsonNode? node, string owner)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, value) in o)
                    {
                        if (key == "properties" && value is JsonObject properties)
                        {
                            foreach (var (name, property) in properties)
                            {
                                Add(owners, name, owner);
                                Walk(property, name);
                            }
                        }
                        else if (key == "$defs" && value is JsonObject definitions)
                        {
                            foreach (var (name, definition) in definitions)
                            {
                                Walk(definition, DefinitionPrefix + name);
                            }
                        }
                        else if (key == "$ref" && value?.GetValue<string>() is { } target && target.StartsWith("#/" + DefinitionPrefix, StringComparison.Ordinal))
                        {
                            Add(references, target[2..], owner);
                        }
                        else
                        {
                            Walk(value, owner);
                        }
                    }

                    break;
                case JsonArray a:
                    foreach (var item in a)
                    {
                        Walk(item, owner);
                    }

                    break;
            }
        }

        // A definition's keys belong to the sections that use it, followed through definitions that use definitions.
        IEnumerable<string> Sections(string owner, HashSet<string> seen) => !owner.StartsWith(DefinitionPrefix, StringComparison.Ordinal)
            ? [owner]
            : seen.Add(owner) ? references.GetValueOrDefault(owner, []).SelectMany(o => Sections(o, seen)) : [];

        Walk(Document.Value, TopLevel);
        return owners.ToDictionary(
            o => o.Key,
            o => o.Value.SelectMany(owner => Sections(owner, [])).Distinct().Order(StringComparer.Ordinal).ToArray(),
            StringComparer.Ordinal);
    });

    private const string DefinitionPrefix = "$defs/";

    private const string TopLevel = "the top level";

    private static void Add(Dictionary<string, HashSet<string>> map, string key, string value)
    {
        if (!map.TryGetValue(key, out var values))
        {
            map[key] = values = new HashSet<string>(StringComparer.Ordinal);
        }

        values.Add(value);
    }

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
        if (KnownKeys.Value.TryGetValue(key, out var sections))
        {
            return $"'{key}' is not a key here; it belongs under {string.Join(" or ", sections)}";
        }

        var near = AdaptLab.Metrics.Spelling.Closest(key, KnownKeys.Value.Keys);
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
