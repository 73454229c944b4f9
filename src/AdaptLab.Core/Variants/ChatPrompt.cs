using System.Text.Json;
using System.Text.Json.Nodes;
using AdaptLab.Core.Prompts;
using AdaptLab.Core.Tasks;
using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Variants;

/// <summary>
/// A versioned prompt file: a Liquid template that is one user turn, or (.yaml, .yml, .json) a list of
/// <c>{role, content}</c> turns, system, user and assistant, each content a Liquid template. The last turn is
/// the item's own user turn; few-shot examples are that turn rendered with each example's fields, answered by
/// its expected output, placed just before it. The content hash of the file is the prompt's version.
/// </summary>
internal sealed class ChatPrompt
{
    private readonly IReadOnlyList<(ChatRole Role, PromptTemplate Template)> turns;

    private ChatPrompt(string path, string text, IReadOnlyList<(ChatRole, PromptTemplate)> turns)
    {
        Path = path;
        Text = text;
        Hash = PromptTemplate.Sha256(text);
        this.turns = turns;
    }

    public string Path { get; }

    public string Text { get; }

    public string Hash { get; }

    /// <summary>The item's turn, which every few-shot example is rendered with too.</summary>
    public PromptTemplate ItemTurn => turns[^1].Template;

    /// <exception cref="InputException">The file cannot be read or is not a prompt; names the file, line and field.</exception>
    public static ChatPrompt Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(path, null, null, "cannot read the prompt file: " + e.Message);
        }

        return Parse(path, text);
    }

    public static ChatPrompt Parse(string path, string text)
    {
        var extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".yaml" or ".yml" or ".json"))
        {
            return new ChatPrompt(path, text, [(ChatRole.User, PromptTemplate.Parse(path, text))]);
        }

        var yaml = YamlJson.Parse(text, path);
        if (yaml.Root is not JsonArray list || list.Count == 0)
        {
            throw new InputException(path, 1, null, "a prompt file of turns is a list of {role, content} (role: system, user or assistant)");
        }

        var parsed = new List<(ChatRole, PromptTemplate)>();
        for (var i = 0; i < list.Count; i++)
        {
            var at = $"/{i}";
            if (list[i] is not JsonObject turn || turn.Any(kv => kv.Key is not ("role" or "content")))
            {
                throw new InputException(path, yaml.LineOf(at), $"[{i}]", "a turn is {role, content} and nothing else");
            }

            ChatRole role = TextOf(turn["role"]) switch
            {
                "system" => ChatRole.System,
                "user" => ChatRole.User,
                "assistant" => ChatRole.Assistant,
                var other => throw new InputException(path, yaml.LineOf(at + "/role"), $"[{i}].role",
                    $"'{other}' is not a role: use system, user or assistant"),
            };
            if (TextOf(turn["content"]) is not { } content)
            {
                throw new InputException(path, yaml.LineOf(at), $"[{i}].content", "every turn needs its content as text");
            }

            try
            {
                parsed.Add((role, PromptTemplate.Parse(path, content)));
            }
            catch (InputException e)
            {
                throw new InputException(path, yaml.LineOf(at + "/content"), $"[{i}].content", e.Problem);
            }
        }

        if (parsed[^1].Item1 != ChatRole.User)
        {
            throw new InputException(path, yaml.LineOf($"/{list.Count - 1}"), $"[{list.Count - 1}].role",
                "the last turn is the item's question, a user turn");
        }

        return new ChatPrompt(path, text, parsed);
    }

    /// <summary>The conversation for one item: the variant's system text, the fixed turns, the examples, the item's turn.</summary>
    /// <exception cref="InputException">A template uses a variable the item does not have.</exception>
    /// <param name="steps">What other context steps add, such as the retriever's <c>chunks</c>.</param>
    public List<ChatMessage> Render(
        PromptInput item, IReadOnlyList<string>? labels, string? system, IReadOnlyList<Shot> shots, bool shotsAsTurns,
        IReadOnlyDictionary<string, object?>? steps = null)
    {
        var variables = new Dictionary<string, object?>(steps ?? new Dictionary<string, object?>(), StringComparer.Ordinal) { ["shots"] = shots.Select(s => s.Variable).ToList() };
        var messages = new List<ChatMessage>();
        if (system is not null)
        {
            messages.Add(new ChatMessage(ChatRole.System, system));
        }

        foreach (var (role, template) in turns.Take(turns.Count - 1))
        {
            messages.Add(new ChatMessage(role, template.Render(item.Fields, labels, item.Structured, variables)));
        }

        if (shotsAsTurns)
        {
            foreach (var shot in shots)
            {
                messages.Add(new ChatMessage(ChatRole.User, ItemTurn.Render(shot.Input.Fields, labels, shot.Input.Structured, variables)));
                messages.Add(new ChatMessage(ChatRole.Assistant, shot.Answer));
            }
        }

        messages.Add(new ChatMessage(ChatRole.User, ItemTurn.Render(item.Fields, labels, item.Structured, variables)));
        return messages;
    }

    private static string? TextOf(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}

/// <summary>An item's fields as a prompt sees them (after <c>data.truncate</c>).</summary>
internal sealed record PromptInput(IReadOnlyDictionary<string, string> Fields, IReadOnlySet<string> Structured);

/// <summary>A few-shot example: the train item's fields and the answer the model is shown.</summary>
internal sealed record Shot(string Id, PromptInput Input, string Answer)
{
    /// <summary>The example as the Liquid variable <c>shots</c> lists it: id, answer as <c>expected</c>, and every field.</summary>
    public IReadOnlyDictionary<string, object?> Variable
    {
        get
        {
            var value = Input.Fields.ToDictionary(
                kv => kv.Key,
                kv => Input.Structured.Contains(kv.Key) ? PromptTemplate.Plain(JsonNode.Parse(kv.Value)) : (object?)kv.Value,
                StringComparer.Ordinal);
            value["id"] = Id;
            value["expected"] = Answer;
            return value;
        }
    }
}
