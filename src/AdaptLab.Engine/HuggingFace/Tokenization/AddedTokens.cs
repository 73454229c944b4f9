using System.Text.Json;

namespace AdaptLab.Engine.HuggingFace.Tokenization;

/// <summary>
/// tokenizer.json's added_tokens (special and not): they are cut out of the raw text before normalization,
/// longest first at each position, and never split by the model.
/// </summary>
internal sealed class AddedTokens
{
    private readonly Dictionary<char, List<(string Content, int Id)>> byFirstChar;

    private AddedTokens(List<(string Content, int Id, bool Special)> tokens)
    {
        byFirstChar = tokens
            .GroupBy(t => t.Content[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Content.Length).Select(t => (t.Content, t.Id)).ToList());
        Contents = tokens.ToDictionary(t => t.Id, t => t.Content);
        Special = tokens.Where(t => t.Special).Select(t => t.Id).ToHashSet();
        Ids = tokens.GroupBy(t => t.Content).ToDictionary(g => g.Key, g => g.First().Id);
    }

    public IReadOnlyDictionary<int, string> Contents { get; }

    public IReadOnlyDictionary<string, int> Ids { get; }

    public IReadOnlySet<int> Special { get; }

    public static AddedTokens Parse(JsonElement list, string path)
    {
        var tokens = new List<(string, int, bool)>();
        foreach (var token in list.ValueKind == JsonValueKind.Array ? list.EnumerateArray() : Enumerable.Empty<JsonElement>())
        {
            var content = HfTokenizerJson.String(token, "content", path);
            if (content.Length == 0)
            {
                throw new FormatException($"{path}: an added token has empty content.");
            }

            foreach (var flag in new[] { "lstrip", "rstrip", "single_word" })
            {
                if (token.TryGetProperty(flag, out var value) && value.ValueKind == JsonValueKind.True)
                {
                    throw new FormatException($"{path}: added token {content} sets {flag}, which is not supported.");
                }
            }

            tokens.Add((content, token.GetProperty("id").GetInt32(), token.TryGetProperty("special", out var s) && s.GetBoolean()));
        }

        return new AddedTokens(tokens);
    }

    /// <summary>The text split into (plain text, null) and (token content, id) segments, in order.</summary>
    public IEnumerable<(string Text, int? Id)> Split(string text)
    {
        var plainStart = 0;
        for (var i = 0; i < text.Length;)
        {
            if (Match(text, i) is { } match)
            {
                if (i > plainStart)
                {
                    yield return (text[plainStart..i], null);
                }

                yield return (match.Content, match.Id);
                i += match.Content.Length;
                plainStart = i;
            }
            else
            {
                i++;
            }
        }

        if (plainStart < text.Length)
        {
            yield return (text[plainStart..], null);
        }
    }

    private (string Content, int Id)? Match(string text, int position) =>
        byFirstChar.TryGetValue(text[position], out var candidates)
            ? candidates.Where(c => string.CompareOrdinal(text, position, c.Content, 0, c.Content.Length) == 0 && position + c.Content.Length <= text.Length)
                .Select(c => ((string, int)?)c).FirstOrDefault()
            : null;
}
