using System.Text.Json;

namespace AdaptLab.Cli.Output;

/// <summary>
/// The compact JSON of the listing and tool commands (runs, metrics, validate, plan, ingest, export-data, export-model,
/// finetune): one line, snake_case names, nulls written. The reports' indented JSON is <see cref="Core.Reports.JsonReport.Options"/>;
/// each command keeps the one scripts already read from it.
/// </summary>
internal static class JsonOutput
{
    public static readonly JsonSerializerOptions Compact = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
