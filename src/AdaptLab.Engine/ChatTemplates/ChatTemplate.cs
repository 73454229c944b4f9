using System.Text.Json;
using AdaptLab.Engine.ChatTemplates.Jinja;
using Microsoft.Extensions.AI;

namespace AdaptLab.Engine.ChatTemplates;

/// <summary>
/// Renders chat messages into the prompt text a chat-tuned model was trained on, from the model's own Jinja
/// chat template (tokenizer_config.json's <c>chat_template</c>) or a built-in one for its family. Rendering
/// matches Hugging Face's @huggingface/jinja character for character on the templates real models ship.
/// </summary>
public sealed class ChatTemplate
{
    private static readonly Dictionary<string, (string? Bos, string? Eos)> FamilyTokens = new(StringComparer.OrdinalIgnoreCase)
    {
        ["chatml"] = (null, "<|im_end|>"),
        ["llama3"] = ("<|begin_of_text|>", "<|eot_id|>"),
        ["llama2"] = ("<s>", "</s>"),
        ["mistral"] = ("<s>", "</s>"),
        ["phi3"] = ("<s>", "<|endoftext|>"),
        ["gemma"] = ("<bos>", "<end_of_turn>"),
    };

    private readonly JinjaTemplate template;

    private ChatTemplate(string source, string? bosToken, string? eosToken)
    {
        template = JinjaTemplate.Parse(source);
        Source = source;
        BosToken = bosToken;
        EosToken = eosToken;
    }

    /// <summary>Families with a built-in template: chatml (Qwen, SmolLM2), llama3, llama2, mistral, phi3, gemma.</summary>
    public static IReadOnlyCollection<string> BuiltInFamilies => FamilyTokens.Keys;

    public string Source { get; }

    /// <summary>The text of the beginning-of-sequence token, passed to the template as <c>bos_token</c>.</summary>
    public string? BosToken { get; }

    /// <summary>The text of the end-of-sequence token, passed to the template as <c>eos_token</c>.</summary>
    public string? EosToken { get; }

    /// <exception cref="FormatException">The source is not a template this renderer supports.</exception>
    public static ChatTemplate FromJinja(string source, string? bosToken = null, string? eosToken = null) => new(source, bosToken, eosToken);

    /// <summary>The built-in template of a model family (see <see cref="BuiltInFamilies"/>), with its special tokens.</summary>
    public static ChatTemplate BuiltIn(string family)
    {
        if (!FamilyTokens.TryGetValue(family, out var tokens))
        {
            throw new ArgumentException(
                $"No built-in chat template for '{family}'; the families are {string.Join(", ", FamilyTokens.Keys)}.", nameof(family));
        }

        var name = $"AdaptLab.Engine.ChatTemplates.{family.ToLowerInvariant()}.jinja";
        using var stream = typeof(ChatTemplate).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The engine assembly lacks its resource {name}.");
        using var reader = new StreamReader(stream);
        return new ChatTemplate(reader.ReadToEnd(), tokens.Bos, tokens.Eos);
    }

    /// <summary>
    /// The template of a Hugging Face tokenizer_config.json, or null when it has none (a base model). A list of
    /// named templates yields the one named "default".
    /// </summary>
    public static ChatTemplate? FromTokenizerConfig(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        if (!root.TryGetProperty("chat_template", out var chatTemplate) || chatTemplate.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var source = chatTemplate.ValueKind switch
        {
            JsonValueKind.String => chatTemplate.GetString()!,
            JsonValueKind.Array => chatTemplate.EnumerateArray()
                .Where(t => t.TryGetProperty("name", out var n) && n.GetString() == "default")
                .Select(t => t.GetProperty("template").GetString())
                .FirstOrDefault() ?? throw new FormatException($"{path}: chat_template lists no template named \"default\"."),
            _ => throw new FormatException($"{path}: chat_template should be a string or a list of named templates."),
        };
        return new ChatTemplate(source, SpecialToken(root, "bos_token", path), SpecialToken(root, "eos_token", path));
    }

    /// <summary>
    /// The prompt for <paramref name="messages"/> (role and text of each). With
    /// <paramref name="addGenerationPrompt"/> it ends by opening the assistant's turn.
    /// </summary>
    /// <exception cref="ArgumentException">The template rejects the messages (raise_exception), e.g. roles that do not alternate.</exception>
    public string Render(IEnumerable<ChatMessage> messages, bool addGenerationPrompt = true)
    {
        var list = messages.Select(m => new Dictionary<string, object?> { ["role"] = m.Role.Value, ["content"] = m.Text }).ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("There are no messages to render.", nameof(messages));
        }

        return template.Render(new Dictionary<string, object?>
        {
            ["messages"] = list,
            ["add_generation_prompt"] = addGenerationPrompt,
            ["bos_token"] = BosToken,
            ["eos_token"] = EosToken,
        });
    }

    private static string? SpecialToken(JsonElement root, string name, string path) =>
        !root.TryGetProperty(name, out var token) ? null
        : token.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => token.GetString(),
            JsonValueKind.Object when token.TryGetProperty("content", out var content) => content.GetString(),
            _ => throw new FormatException($"{path}: {name} should be a string or an object with a content."),
        };
}
