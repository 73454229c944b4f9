using System.Text.Json;

namespace AdaptLab.Engine.Bench;

/// <summary>The snake_case JSON that the workers (this program's and torch_llama.py) read and write.</summary>
internal static class BenchJson
{
    public static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
