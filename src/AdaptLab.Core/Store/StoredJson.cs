using System.Text.Json;
using System.Text.Json.Serialization;

namespace AdaptLab.Core.Store;

/// <summary>
/// How JSON kept in the store is written and read back (a study's settings, readiness and frozen recommendation, a
/// rung's training record, a label's snapshot): the store's own settings, so a change to how reports name things
/// never changes what the store reads back.
/// </summary>
internal static class StoredJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
