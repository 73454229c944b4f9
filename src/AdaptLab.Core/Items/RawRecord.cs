using System.Text.Json.Nodes;
using AdaptLab.Core.Tasks;

namespace AdaptLab.Core.Items;

/// <summary>A record as read from the file, before field mapping.</summary>
/// <param name="Parents">Enclosing objects for nested JSON (nearest first), reached with <c>^.</c> in paths.</param>
/// <param name="Line">1-based line where known (JSONL, CSV).</param>
/// <param name="Location">Line or JSON path, for error messages.</param>
internal sealed record RawRecord(JsonNode Node, IReadOnlyList<JsonNode> Parents, int? Line, string Location)
{
    /// <summary>All values at a task file's field path; empty when the path leads nowhere.</summary>
    public IReadOnlyList<JsonNode?> Select(string path) => FieldPath.Select(Node, Parents, path);
}
