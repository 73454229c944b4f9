using AdaptLab.Core.Variants;

namespace AdaptLab.Tests.Variants;

public sealed class ChatPromptTests
{
    private static readonly PromptInput Item = new(new Dictionary<string, string> { ["input"] = "Where is my card?", ["expected"] = "card_arrival" }, new HashSet<string>());

    [Fact]
    public void A_prompt_file_of_turns_renders_each_turn_and_puts_the_examples_before_the_item()
    {
        var prompt = ChatPrompt.Parse("p.yaml", """
            - role: system
              content: "Classify into one of: {{ labels | join: ', ' }}"
            - role: user
              content: "Ready?"
            - role: assistant
              content: "Ready."
            - role: user
              content: "Query: {{ input }}"
            """);
        Shot[] shots = [new("r1", new PromptInput(new Dictionary<string, string> { ["input"] = "card stolen" }, new HashSet<string>()), "lost_card")];

        var messages = prompt.Render(Item, ["card_arrival", "lost_card"], null, shots, shotsAsTurns: true);

        Assert.Equal(["system", "user", "assistant", "user", "assistant", "user"], messages.Select(m => m.Role.Value));
        Assert.Equal(["Classify into one of: card_arrival, lost_card", "Ready?", "Ready.", "Query: card stolen", "lost_card", "Query: Where is my card?"],
            messages.Select(m => m.Text));
    }

    [Fact]
    public void Shots_as_a_variable_are_a_liquid_list_with_id_expected_and_fields()
    {
        var prompt = ChatPrompt.Parse("p.liquid", "{% for s in shots %}{{ s.input }} => {{ s.expected }} ({{ s.id }})\n{% endfor %}{{ input }} =>");
        Shot[] shots = [new("r1", new PromptInput(new Dictionary<string, string> { ["input"] = "card stolen" }, new HashSet<string>()), "lost_card")];

        var messages = prompt.Render(Item, null, "Be brief.", shots, shotsAsTurns: false);

        Assert.Equal(["system", "user"], messages.Select(m => m.Role.Value));
        Assert.Equal("card stolen => lost_card (r1)\nWhere is my card? =>", messages[1].Text);
    }

    [Theory]
    [InlineData("- role: user\n  content: hi\n- role: robot\n  content: x\n", 3, "[1].role", "'robot' is not a role")]
    [InlineData("- role: user\n  content: hi\n- role: assistant\n  content: x\n", 3, "[1].role", "the last turn is the item's question")]
    [InlineData("- role: user\n  content: hi\n  name: x\n", 1, "[0]", "{role, content} and nothing else")]
    [InlineData("- role: user\n  content: \"{% if %}\"\n", 2, "[0].content", "not a valid Liquid template")]
    [InlineData("role: user\n", 1, null, "a list of {role, content}")]
    public void A_bad_prompt_file_names_its_line_and_field(string text, int line, string? field, string message)
    {
        var e = Assert.Throws<InputException>(() => ChatPrompt.Parse("p.yaml", text));

        Assert.Equal(line, e.Line);
        Assert.Equal(field, e.Field);
        Assert.Contains(message, e.Problem);
    }
}
