using System.Text.Json;

namespace AdaptLab.Engine.HuggingFace;

/// <summary>Opens the JSON files of a Hugging Face model directory with errors that name the file.</summary>
internal static class HfJson
{
    public static JsonDocument Parse(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Missing {Path.GetFileName(path)}: {path} does not exist.", path);
        }

        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path} is not valid JSON: {e.Message}", e);
        }
    }
}

/// <summary>Typed reads of a JSON object's fields; a missing required field or a wrong type names the file and field.</summary>
internal readonly record struct HfJsonObject(JsonElement Element, string Path, string Prefix = "")
{
    public int Int(string name) => OptionalInt(name) ?? throw Missing(name);

    public double Double(string name) => OptionalDouble(name) ?? throw Missing(name);

    public int? OptionalInt(string name) =>
        Field(name, JsonValueKind.Number) is { } e ? e.TryGetInt32(out var v) ? v : throw Wrong(name, "an integer") : null;

    public double? OptionalDouble(string name) => Field(name, JsonValueKind.Number)?.GetDouble();

    public string? String(string name) => Field(name, JsonValueKind.String)?.GetString();

    public bool? OptionalBool(string name) =>
        Element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null => null,
            _ => throw Wrong(name, "true or false"),
        } : null;

    /// <summary>The field's value, or null when it is absent or JSON null.</summary>
    private JsonElement? Field(string name, JsonValueKind kind) =>
        Element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == kind ? value : throw Wrong(name, $"a {kind.ToString().ToLowerInvariant()}")
            : null;

    private FormatException Missing(string name) => new($"{Path}: required field {Prefix}{name} is missing.");

    private FormatException Wrong(string name, string expected) => new($"{Path}: field {Prefix}{name} should be {expected}.");
}
