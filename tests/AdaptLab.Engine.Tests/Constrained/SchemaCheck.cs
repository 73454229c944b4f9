using System.Text.Json;
using Json.Schema;

namespace AdaptLab.Engine.Tests.Constrained;

/// <summary>Parses with System.Text.Json and validates with JsonSchema.Net, the independent judges of our outputs.</summary>
internal static class SchemaCheck
{
    public static JsonElement Schema(string json) => JsonDocument.Parse(json).RootElement.Clone();

    /// <summary>Null when <paramref name="text"/> parses and validates; otherwise why not.</summary>
    public static string? Problem(string schema, string text)
    {
        JsonElement instance;
        try
        {
            instance = JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException e)
        {
            return $"does not parse: {e.Message}";
        }

        var result = JsonSchema.FromText(schema).Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid ? null : "does not validate: " + string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Values));
    }
}
