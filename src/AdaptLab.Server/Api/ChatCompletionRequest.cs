using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace AdaptLab.Server.Api;

/// <summary>The parts of an OpenAI chat-completions request this server honours, checked.</summary>
internal sealed record ChatCompletionRequest(string Model, IReadOnlyList<ChatMessage> Messages, ChatOptions Options, bool Stream, bool IncludeUsage)
{
    private const int MaxStopSequences = 4;

    public static ChatCompletionRequest Parse(RequestBody body)
    {
        var model = body.RequiredString("model");
        var messages = ReadMessages(body["messages"]);
        if (body.OptionalInteger("n", 1) is > 1)
        {
            throw ApiException.BadRequest("Only n = 1 is supported.", "n");
        }

        if (body["tools"] is JsonArray { Count: > 0 })
        {
            throw ApiException.BadRequest("Tools are not supported by this server.", "tools");
        }

        var maxTokens = body.OptionalInteger("max_completion_tokens", 1) ?? body.OptionalInteger("max_tokens", 1);
        var options = new ChatOptions
        {
            Temperature = (float?)body.OptionalNumber("temperature", 0, 2),
            TopP = (float?)body.OptionalNumber("top_p", 0, 1, minExclusive: true),
            MaxOutputTokens = maxTokens is { } m ? (int)Math.Min(m, int.MaxValue) : null,
            Seed = body.OptionalInteger("seed", long.MinValue),
            StopSequences = Stop(body["stop"]),
        };
        var streamOptions = body["stream_options"] as JsonObject;
        return new ChatCompletionRequest(model, messages, options, body.OptionalBool("stream") ?? false,
            streamOptions is not null && new RequestBody(streamOptions).OptionalBool("include_usage") == true);
    }

    private static List<ChatMessage> ReadMessages(JsonNode? node)
    {
        if (node is not JsonArray { Count: > 0 } array)
        {
            throw ApiException.BadRequest("'messages' must be a non-empty array of {role, content} objects.", "messages");
        }

        return array.Select((m, i) => m is JsonObject message
            ? new ChatMessage(Role(message["role"], i), Content(message["content"], i))
            : throw ApiException.BadRequest($"'messages[{i}]' must be an object.", "messages")).ToList();
    }

    private static ChatRole Role(JsonNode? node, int index) => Text(node) is { } role
        ? role switch
        {
            "system" or "developer" => ChatRole.System,
            "user" => ChatRole.User,
            "assistant" => ChatRole.Assistant,
            var other => throw ApiException.BadRequest($"'messages[{index}].role' is '{other}'; expected system, developer, user or assistant.", "messages"),
        }
        : throw ApiException.BadRequest($"'messages[{index}].role' must be a string.", "messages");

    /// <summary>A string, or an array of text parts (<c>{"type": "text", "text": ...}</c>); other kinds of content are refused.</summary>
    private static string Content(JsonNode? node, int index)
    {
        switch (node)
        {
            case JsonValue when Text(node) is { } text:
                return text;
            case JsonArray parts:
                return string.Concat(parts.Select(p => p is JsonObject part && Text(part["type"]) == "text" && Text(part["text"]) is { } text
                    ? text
                    : throw ApiException.BadRequest($"'messages[{index}].content' may hold only text parts.", "messages")));
            default:
                throw ApiException.BadRequest($"'messages[{index}].content' must be a string or an array of text parts.", "messages");
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static List<string>? Stop(JsonNode? node)
    {
        List<string>? stops = node switch
        {
            null => null,
            JsonValue when Text(node) is { } text => [text],
            JsonArray a when a.All(s => Text(s) is not null) => a.Select(s => Text(s)!).ToList(),
            _ => throw ApiException.BadRequest("'stop' must be a string or an array of strings.", "stop"),
        };
        return stops switch
        {
            { Count: > MaxStopSequences } => throw ApiException.BadRequest($"'stop' may hold at most {MaxStopSequences} sequences.", "stop"),
            _ when stops?.Any(s => s.Length == 0) == true => throw ApiException.BadRequest("'stop' sequences must not be empty.", "stop"),
            _ => stops,
        };
    }
}
