using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;

namespace AdaptLab.Metrics.Judges;

/// <summary>What a judge is asked: the rubric, the conversation the response answered, the reference if any, and the reply format.</summary>
internal static class JudgePrompts
{
    public static List<ChatMessage> Pointwise(string rubric, IEnumerable<ChatMessage> conversation, string response, IReadOnlyList<string>? references, double min, double max) =>
    [
        new(ChatRole.System, "You are an impartial judge. Grade the response by the rubric alone; its length and style earn nothing the rubric does not ask for. " +
            string.Create(CultureInfo.InvariantCulture, $"Explain briefly, then end with one line 'Score: N', N a number from {min} to {max}.")),
        new(ChatRole.User, Body(rubric, conversation, references).Append("\n## Response to grade\n").Append(response).ToString()),
    ];

    public static List<ChatMessage> Pairwise(string rubric, IEnumerable<ChatMessage> conversation, string first, string second, IReadOnlyList<string>? references) =>
    [
        new(ChatRole.System, "You are an impartial judge. Compare two responses by the rubric alone; their order, length and style earn nothing the rubric does not ask for. " +
            "Explain briefly, then end with one line 'Winner: A', 'Winner: B' or 'Winner: tie'."),
        new(ChatRole.User, Body(rubric, conversation, references).Append("\n## Response A\n").Append(first).Append("\n\n## Response B\n").Append(second).ToString()),
    ];

    private static StringBuilder Body(string rubric, IEnumerable<ChatMessage> conversation, IReadOnlyList<string>? references)
    {
        var body = new StringBuilder("## Rubric\n").Append(rubric.Trim()).Append("\n\n## Conversation\n");
        foreach (var message in conversation)
        {
            body.Append(message.Role.Value).Append(": ").Append(message.Text).Append('\n');
        }

        if (references is { Count: > 0 })
        {
            body.Append("\n## Reference answer\n").Append(string.Join("\n---\n", references)).Append('\n');
        }

        return body;
    }
}
