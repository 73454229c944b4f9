using System.Text.Json;
using System.Text.Json.Serialization;
using AdaptLab.Core.Evidence;

namespace AdaptLab.Core.Reports;

internal static class JsonReport
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Render(RunReport report) => JsonSerializer.Serialize(report, Options);
}
