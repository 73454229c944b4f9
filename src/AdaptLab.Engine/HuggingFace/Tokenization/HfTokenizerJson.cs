using System.Text.Json;

namespace AdaptLab.Engine.HuggingFace.Tokenization;

/// <summary>Field reads shared by the tokenizer.json component parsers, with errors that name the file.</summary>
internal static class HfTokenizerJson
{
    public static string Type(JsonElement spec, string path, string component) =>
        spec.ValueKind == JsonValueKind.Object && spec.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString()!
            : throw new FormatException($"{path}: a {component} has no type.");

    public static string String(JsonElement spec, string name, string path) =>
        spec.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"{path}: {Type(spec, path, "component")} needs a string {name}.");

    /// <summary>A Replace or Split pattern given as {"String": ...}; regex patterns are only read where supported.</summary>
    public static string LiteralPattern(JsonElement spec, string path) =>
        spec.TryGetProperty("pattern", out var pattern) && pattern.TryGetProperty("String", out var literal)
            ? literal.GetString()!
            : throw new FormatException($"{path}: {Type(spec, path, "component")} needs a literal {{\"String\": ...}} pattern.");
}
