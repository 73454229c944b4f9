using System.Text.Json;
using Json.Schema;

namespace AdaptLab.Metrics.Structured;

/// <summary>
/// <c>json_schema</c>: 1 when the output parses as JSON and validates against a JSON Schema
/// (draft 2020-12 unless the schema's <c>$schema</c> says otherwise), via JsonSchema.Net.
/// </summary>
public sealed class JsonSchemaValid : IMetric
{
    private const int MaxErrorsInReason = 3;

    private readonly JsonSchema schema;
    private readonly JsonOutputOptions options;

    /// <exception cref="FormatException">The schema is not a valid JSON Schema.</exception>
    public JsonSchemaValid(string schemaJson, JsonOutputOptions options)
    {
        try
        {
            // A private registry, so two tasks whose schemas share an $id do not collide.
            schema = JsonSchema.FromText(schemaJson, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        }
        catch (Exception e) when (e is JsonException or JsonSchemaException or ArgumentException)
        {
            throw new FormatException($"json_schema: the schema is not a valid JSON Schema: {e.Message}", e);
        }

        this.options = options;
    }

    public string Name => "json_schema";

    public MetricShape Shape => MetricShape.MeanOfBinary;

    public bool HigherIsBetter => true;

    /// <summary>Options: <c>schema</c> (the schema as inline JSON) or <c>schema_path</c> (a file), and <c>allow_fence</c>.</summary>
    /// <exception cref="ArgumentException">Neither or both of schema and schema_path are given, or the file is missing.</exception>
    public static JsonSchemaValid FromOptions(MetricOptions options)
    {
        var inline = options.GetString("schema", "");
        var path = options.GetString("schema_path", "");
        if ((inline.Length == 0) == (path.Length == 0))
        {
            throw new ArgumentException("json_schema needs exactly one of the options 'schema' (inline JSON) or 'schema_path' (a file)");
        }

        if (path.Length > 0 && !File.Exists(path))
        {
            throw new ArgumentException($"json_schema: schema_path '{path}' does not exist");
        }

        return new JsonSchemaValid(path.Length > 0 ? File.ReadAllText(path) : inline, JsonOutputOptions.From(options));
    }

    public MetricValue Compute(IReadOnlyList<MetricItem> items)
    {
        var perItem = new double[items.Count];
        var reasons = new string?[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            reasons[i] = Check(items[i].Prediction);
            perItem[i] = reasons[i] is null ? 1 : 0;
        }

        return new MetricValue(items.Count == 0 ? double.NaN : perItem.Average(), perItem, reasons);
    }

    private string? Check(string output)
    {
        if (!JsonOutput.TryParse(output, options, out var instance, out var parseError))
        {
            return parseError;
        }

        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return null;
        }

        var errors = (result.Details ?? [])
            .Prepend(result)
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Values.Select(message => $"at '{Location(d)}': {message}"))
            .Distinct()
            .ToList();
        var shown = string.Join("; ", errors.Take(MaxErrorsInReason));
        var more = errors.Count > MaxErrorsInReason ? $" (+{errors.Count - MaxErrorsInReason} more)" : "";
        return errors.Count == 0 ? "does not match the schema" : $"schema: {shown}{more}";
    }

    private static string Location(EvaluationResults node)
    {
        var pointer = node.InstanceLocation.ToString();
        return pointer.Length == 0 ? "/" : pointer;
    }
}
