using System.Text.RegularExpressions;

namespace AdaptLab.Core.Models.Hub;

/// <summary>A Hugging Face model repository and revision, written <c>org/name</c> or <c>org/name@revision</c>.</summary>
internal sealed partial record HubModelId(string Organization, string Name, string Revision)
{
    public const string DefaultRevision = "main";

    public string Repository => $"{Organization}/{Name}";

    /// <exception cref="FormatException">The text is not <c>org/name[@revision]</c> with the hub's allowed characters.</exception>
    public static HubModelId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var repository = at < 0 ? text : text[..at];
        var revision = at < 0 ? DefaultRevision : text[(at + 1)..];
        var parts = repository.Split('/');
        if (parts.Length != 2 || !parts.All(IsValidSegment))
        {
            throw new FormatException(
                $"'{text}' is not a Hugging Face model id: expected org/name[@revision], where org and name use letters, digits, '-', '_' and '.' (e.g. TinyLlama/TinyLlama-1.1B-Chat-v1.0)");
        }

        if (revision.Length == 0 || revision.Any(char.IsWhiteSpace) || revision.Contains("..", StringComparison.Ordinal) || revision.StartsWith('/'))
        {
            throw new FormatException($"'{text}': the revision after '@' must be a branch, tag or commit, e.g. main or a 40-character commit hash");
        }

        return new HubModelId(parts[0], parts[1], revision);
    }

    public override string ToString() => Revision == DefaultRevision ? Repository : $"{Repository}@{Revision}";

    /// <summary>The hub's own rule for repository names, which also keeps them safe as folder names.</summary>
    private static bool IsValidSegment(string segment) =>
        segment.Length is > 0 and <= 96 && SegmentPattern().IsMatch(segment)
        && !segment.Contains("..", StringComparison.Ordinal) && !segment.Contains("--", StringComparison.Ordinal)
        && segment[0] != '.' && segment[0] != '-' && segment[^1] != '.';

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex SegmentPattern();
}
