using AdaptLab.Core.Tasks;

namespace AdaptLab.Core.Items;

/// <summary>One dataset record mapped to what the evaluation needs; a run keeps a frozen copy of each it is scored on.</summary>
/// <param name="Index">Position in the split as read, before sampling; stable across runs.</param>
/// <param name="Expected">One or more acceptable outputs (several for SQuAD-style answers).</param>
/// <param name="Fields">Input, expected and extra fields by name, for prompt templates and metrics.</param>
/// <param name="Location">Where the record came from, e.g. "test.csv:17" or "dev.json data[3].paragraphs[0].qas[2]".</param>
internal sealed record DataItem(
    int Index,
    string Id,
    string Input,
    IReadOnlyList<string> Expected,
    IReadOnlyDictionary<string, string> Fields,
    string Location)
{
    /// <summary>The fields whose text is a JSON array or object from the data, which prompts iterate (see <see cref="FieldPath.IsStructured"/>).</summary>
    public IReadOnlySet<string> Structured { get; init; } = NoFields;

    internal static readonly IReadOnlySet<string> NoFields = new HashSet<string>();
}
