using System.Text.Json;
using System.Text.Json.Nodes;
using AdaptLab.Abstractions;
using Microsoft.Extensions.AI;

namespace AdaptLab.Server.FineTuning;

/// <summary>
/// OpenAI's chat fine-tuning JSONL: one <c>{"messages": [...]}</c> per line, the last message the assistant's reply to
/// learn, the ones before it the prompt (system, user and earlier turns) as a request would send them.
/// </summary>
internal static class TrainingFile
{
    /// <exception cref="FormatException">A line is not such a conversation; the message names the file and line.</exception>
    public static List<TrainingExample> Parse(string name, string text)
    {
        var examples = new List<TrainingExample>();
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            examples.Add(Example(line, $"{name} line {lineNumber}"));
        }

        return examples.Count > 0 ? examples : throw new FormatException($"{name} holds no training examples");
    }

    private static TrainingExample Example(string line, string where)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(line);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{where}: not JSON ({e.Message})", e);
        }

        if (node?["messages"] is not JsonArray { Count: > 0 } messages)
        {
            throw new FormatException($"{where}: needs a non-empty \"messages\" list");
        }

        var parsed = new List<ChatMessage>();
        foreach (var message in messages)
        {
            var role = (message?["role"] as JsonValue)?.GetValueKind() == JsonValueKind.String ? (string)message!["role"]! : null;
            var content = (message?["content"] as JsonValue)?.GetValueKind() == JsonValueKind.String ? (string)message!["content"]! : null;
            if (role is not ("system" or "developer" or "user" or "assistant") || content is null)
            {
                throw new FormatException($"{where}: each message needs a role (system, user or assistant) and text content");
            }

            parsed.Add(new ChatMessage(role == "developer" ? ChatRole.System : new ChatRole(role), content));
        }

        return parsed[^1].Role == ChatRole.Assistant && parsed.Count > 1
            ? new TrainingExample(parsed[..^1], parsed[^1].Text)
            : throw new FormatException($"{where}: the last message must be the assistant's reply, after at least one other");
    }
}
