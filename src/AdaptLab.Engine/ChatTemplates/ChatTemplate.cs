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

    private static readonly JsonSerializerOptions CompactJson = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

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

    /// <summary>The variables every render sets itself; <c>variables</c> may not name them.</summary>
    public static IReadOnlyCollection<string> ReservedVariables { get; } = ["messages", "tools", "add_generation_prompt", "bos_token", "eos_token"];

    /// <summary>
    /// The prompt for <paramref name="messages"/>, with the variables transformers' apply_chat_template gives a
    /// template. With <paramref name="addGenerationPrompt"/> it ends by opening the assistant's turn.
    /// </summary>
    /// <param name="messages">The conversation. Each message is its role and its text as <c>content</c>;
    /// <see cref="FunctionCallContent"/>s are its <c>tool_calls</c> (<c>{"id", "type": "function", "function": {"name", "arguments"}}</c>,
    /// the arguments a mapping); each <see cref="FunctionResultContent"/> is a message of its own with role <c>tool</c>,
    /// the result as <c>content</c> (a string as it is, anything else as JSON) and the call's id as <c>tool_call_id</c>.</param>
    /// <param name="addGenerationPrompt">Whether the prompt opens the assistant's turn.</param>
    /// <param name="tools">The functions the model may call, as <c>tools</c>:
    /// <c>{"type": "function", "function": {"name", "description", "parameters"}}</c>, parameters being the function's JSON
    /// schema. Null renders <c>tools</c> as none, as transformers does without tools.</param>
    /// <param name="variables">More template variables, such as Qwen3's <c>enable_thinking</c>: strings, booleans,
    /// numbers, null, JSON elements, dictionaries and sequences of them.</param>
    /// <exception cref="ArgumentException">The template rejects the messages (raise_exception), e.g. roles that do not alternate;
    /// a tool is not a function; or <paramref name="variables"/> names one of <see cref="ReservedVariables"/>.</exception>
    /// <remarks>
    /// A message whose only content is tool calls has the empty string as content. The arguments and results are
    /// converted with <see cref="AIJsonUtilities.DefaultOptions"/>, a result
    /// written without indentation (<c>{"temperature":25}</c>).
    /// </remarks>
    public string Render(
        IEnumerable<ChatMessage> messages,
        bool addGenerationPrompt = true,
        IEnumerable<AITool>? tools = null,
        IReadOnlyDictionary<string, object?>? variables = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages.SelectMany(TemplateMessages).ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("There are no messages to render.", nameof(messages));
        }

        var all = new Dictionary<string, object?>();
        foreach (var (name, value) in variables ?? new Dictionary<string, object?>())
        {
            all[name] = ReservedVariables.Contains(name)
                ? throw new ArgumentException($"The chat template variable '{name}' is set by Render itself; pass it through its parameter.", nameof(variables))
                : value;
        }

        all["messages"] = list;
        all["tools"] = tools?.Select(ToolDefinition).ToList();
        all["add_generation_prompt"] = addGenerationPrompt;
        all["bos_token"] = BosToken;
        all["eos_token"] = EosToken;
        return template.Render(all);
    }

    private static IEnumerable<Dictionary<string, object?>> TemplateMessages(ChatMessage message)
    {
        var results = message.Contents.OfType<FunctionResultContent>().ToList();
        if (results.Count > 0)
        {
            // transformers' format: one message of role "tool" per result.
            foreach (var result in results)
            {
                yield return new Dictionary<string, object?>
                {
                    ["role"] = "tool",
                    ["content"] = ResultText(result.Result),
                    ["tool_call_id"] = result.CallId,
                };
            }

            yield break;
        }

        var entry = new Dictionary<string, object?> { ["role"] = message.Role.Value, ["content"] = message.Text };
        var calls = message.Contents.OfType<FunctionCallContent>().ToList();
        if (calls.Count > 0)
        {
            entry["tool_calls"] = calls.Select(call => new Dictionary<string, object?>
            {
                ["id"] = call.CallId,
                ["type"] = "function",
                ["function"] = new Dictionary<string, object?>
                {
                    ["name"] = call.Name,
                    ["arguments"] = JsonSerializer.SerializeToElement(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions),
                },
            }).ToList();
        }

        yield return entry;
    }

    private static string ResultText(object? result) => result switch
    {
        null => "",
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()!,
        JsonElement e => e.GetRawText(),
        _ => JsonSerializer.Serialize(result, result.GetType(), CompactJson),
    };

    private static Dictionary<string, object?> ToolDefinition(AITool tool) => tool is AIFunctionDeclaration function
        ? new Dictionary<string, object?>
        {
            ["type"] = "function",
            ["function"] = new Dictionary<string, object?>
            {
                ["name"] = function.Name,
                ["description"] = function.Description,
                ["parameters"] = function.JsonSchema,
            },
        }
        : throw new ArgumentException($"The tool {tool.Name} is not a function; chat templates take function declarations only.", nameof(tool));

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
