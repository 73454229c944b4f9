using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace AdaptLab.Server.Api;

/// <summary>
/// The parts of an OpenAI chat-completions request this server honours, checked. A parameter it does not
/// implement is refused with a 400 naming it (OpenAI's <c>unsupported_parameter</c>), unless it has its neutral
/// value (a penalty of 0, <c>logprobs: false</c>); so is a parameter OpenAI does not define. Tools are function
/// declarations the model may call (<c>tool_choice</c> none, auto, required or one function), in whole replies.
/// </summary>
internal sealed record ChatCompletionRequest(string Model, IReadOnlyList<ChatMessage> Messages, ChatOptions Options, bool Stream, bool IncludeUsage)
{
    private const int MaxStopSequences = 4;

    /// <summary>Parameters this server honours.</summary>
    private static readonly HashSet<string> Honoured = new(StringComparer.Ordinal)
    {
        "model", "messages", "temperature", "top_p", "max_tokens", "max_completion_tokens", "seed", "stop", "stream",
        "stream_options", "n", "response_format", "tools", "tool_choice", "parallel_tool_calls",
    };

    /// <summary>Parameters about the caller or the provider's bookkeeping, which change no reply.</summary>
    private static readonly HashSet<string> Bookkeeping = new(StringComparer.Ordinal)
    {
        "user", "metadata", "store", "service_tier", "safety_identifier", "prompt_cache_key",
    };

    /// <summary>OpenAI parameters this server does not implement, and whether a value is the neutral one that asks for nothing.</summary>
    private static readonly Dictionary<string, Func<JsonNode, bool>> Unimplemented = new(StringComparer.Ordinal)
    {
        ["logprobs"] = v => IsFalse(v),
        ["top_logprobs"] = v => IsNumber(v, 0),
        ["frequency_penalty"] = v => IsNumber(v, 0),
        ["presence_penalty"] = v => IsNumber(v, 0),
        ["logit_bias"] = v => v is JsonObject { Count: 0 },
        ["functions"] = v => v is JsonArray { Count: 0 },
        ["function_call"] = v => Text(v) is "none" or "auto",
        ["modalities"] = v => v is JsonArray { Count: 1 } a && Text(a[0]) == "text",
        ["audio"] = _ => false,
        ["prediction"] = _ => false,
        ["web_search_options"] = _ => false,
        ["reasoning_effort"] = _ => false,
        ["verbosity"] = _ => false,
    };

    public static ChatCompletionRequest Parse(RequestBody body)
    {
        RefuseUnimplemented(body);
        var model = body.RequiredString("model");
        var messages = ReadMessages(body["messages"]);
        if (body.OptionalInteger("n", 1) is > 1)
        {
            throw ApiException.BadRequest("Only n = 1 is supported.", "n");
        }

        var maxTokens = body.OptionalInteger("max_completion_tokens", 1) ?? body.OptionalInteger("max_tokens", 1);
        var options = new ChatOptions
        {
            Temperature = (float?)body.OptionalNumber("temperature", 0, 2),
            TopP = (float?)body.OptionalNumber("top_p", 0, 1, minExclusive: true),
            MaxOutputTokens = maxTokens is { } m ? (int)Math.Min(m, int.MaxValue) : null,
            Seed = body.OptionalInteger("seed", long.MinValue),
            StopSequences = Stop(body["stop"]),
            ResponseFormat = ResponseFormat(body["response_format"]),
            Tools = Tools(body["tools"]),
            ToolMode = ToolChoice(body["tool_choice"]),
        };
        _ = body.OptionalBool("parallel_tool_calls");
        var stream = body.OptionalBool("stream") ?? false;
        if (stream && options.Tools is { Count: > 0 })
        {
            throw ApiException.BadRequest("Tool calls are answered in whole replies only: leave out 'stream' or 'tools'.", "stream");
        }

        var streamOptions = body["stream_options"] as JsonObject;
        return new ChatCompletionRequest(model, messages, options, stream,
            streamOptions is not null && new RequestBody(streamOptions).OptionalBool("include_usage") == true);
    }

    /// <summary><c>[{"type": "function", "function": {"name", "description", "parameters"}}]</c> as function declarations.</summary>
    private static IList<AITool>? Tools(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonArray tools)
        {
            throw ApiException.BadRequest("'tools' must be an array of {type: function, function: {name, description, parameters}}.", "tools");
        }

        return [.. tools.Select((t, i) =>
        {
            if (t is not JsonObject tool || Text(tool["type"]) != "function" || tool["function"] is not JsonObject function || Text(function["name"]) is not { } name)
            {
                throw ApiException.BadRequest($"'tools[{i}]' must be {{type: function, function: {{name, description, parameters}}}}.", "tools");
            }

            if (function["parameters"] is not (null or JsonObject))
            {
                throw ApiException.BadRequest($"'tools[{i}].function.parameters' must be a JSON Schema object.", "tools");
            }

            var parameters = function["parameters"] as JsonObject ?? new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
            return (AITool)AIFunctionFactory.CreateDeclaration(name, Text(function["description"]), JsonSerializer.SerializeToElement(parameters));
        })];
    }

    /// <summary><c>none</c>, <c>auto</c>, <c>required</c>, or <c>{"type": "function", "function": {"name"}}</c>.</summary>
    private static ChatToolMode? ToolChoice(JsonNode? node) => node switch
    {
        null => null,
        JsonValue when Text(node) is "none" => ChatToolMode.None,
        JsonValue when Text(node) is "auto" => ChatToolMode.Auto,
        JsonValue when Text(node) is "required" => ChatToolMode.RequireAny,
        JsonObject choice when Text(choice["type"]) == "function" && Text(choice["function"]?["name"]) is { } name => ChatToolMode.RequireSpecific(name),
        _ => throw ApiException.BadRequest("'tool_choice' must be none, auto, required or {type: function, function: {name}}.", "tool_choice"),
    };

    private static void RefuseUnimplemented(RequestBody body)
    {
        foreach (var (name, value) in body.Fields)
        {
            if (value is null || Honoured.Contains(name) || Bookkeeping.Contains(name))
            {
                continue;
            }

            if (!Unimplemented.TryGetValue(name, out var neutral))
            {
                throw new ApiException(400, $"Unrecognized request argument supplied: {name}.", name, "unknown_parameter");
            }

            if (!neutral(value))
            {
                throw new ApiException(400,
                    $"'{name}' is not supported by this server (it got {value.ToJsonString()}); leave it out.", name, "unsupported_parameter");
            }
        }
    }

    /// <summary>
    /// <c>{"type": "text"}</c>, <c>{"type": "json_object"}</c> (any JSON object) or <c>{"type": "json_schema",
    /// "json_schema": {"name", "schema", "description", "strict"}}</c>; the engine enforces JSON while decoding.
    /// </summary>
    private static ChatResponseFormat? ResponseFormat(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject format)
        {
            throw ApiException.BadRequest("'response_format' must be an object such as {\"type\": \"json_object\"}.", "response_format");
        }

        switch (Text(format["type"]))
        {
            case "text":
                return ChatResponseFormat.Text;
            case "json_object":
                return ChatResponseFormat.Json;
            case "json_schema":
                if (format["json_schema"] is not JsonObject spec)
                {
                    throw ApiException.BadRequest("'response_format.json_schema' must be an object with a 'name' and a 'schema'.", "response_format");
                }

                var fields = new RequestBody(spec);
                var name = Field(() => fields.RequiredString("name"));
                var description = Field(() => fields.OptionalString("description"));
                _ = Field(() => fields.OptionalBool("strict"));
                if (spec["schema"] is not null and not JsonObject)
                {
                    throw ApiException.BadRequest("'response_format.json_schema.schema' must be a JSON Schema object.", "response_format");
                }

                try
                {
                    return spec["schema"] is JsonObject s
                        ? ChatResponseFormat.ForJsonSchema(JsonSerializer.SerializeToElement(s), name, description)
                        : ChatResponseFormat.Json;
                }
                catch (ArgumentException e)
                {
                    throw ApiException.BadRequest($"'response_format.json_schema': {e.Message}", "response_format");
                }

            case var other:
                throw ApiException.BadRequest($"'response_format.type' is '{other}'; expected text, json_object or json_schema.", "response_format");
        }
    }

    /// <summary>A field of a nested object, refused under its outer parameter's name.</summary>
    private static T Field<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (ApiException e)
        {
            throw ApiException.BadRequest($"'response_format.json_schema': {e.Message}", "response_format");
        }
    }

    private static bool IsFalse(JsonNode value) => value.GetValueKind() == JsonValueKind.False;

    private static bool IsNumber(JsonNode value, double expected) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.GetValue<double>() == expected;

    private static List<ChatMessage> ReadMessages(JsonNode? node)
    {
        if (node is not JsonArray { Count: > 0 } array)
        {
            throw ApiException.BadRequest("'messages' must be a non-empty array of {role, content} objects.", "messages");
        }

        return array.Select((m, i) => m is JsonObject message
            ? Message(message, i)
            : throw ApiException.BadRequest($"'messages[{i}]' must be an object.", "messages")).ToList();
    }

    /// <summary>A turn; an assistant turn may carry <c>tool_calls</c>, and a <c>tool</c> turn answers one by <c>tool_call_id</c>.</summary>
    private static ChatMessage Message(JsonObject message, int index)
    {
        if (Text(message["role"]) == "tool")
        {
            var callId = Text(message["tool_call_id"]) ?? throw ApiException.BadRequest($"'messages[{index}].tool_call_id' must name the call it answers.", "messages");
            return new ChatMessage(ChatRole.Tool, [new FunctionResultContent(callId, Content(message["content"], index))]);
        }

        var role = Role(message["role"], index);
        if (role != ChatRole.Assistant || message["tool_calls"] is not JsonArray calls)
        {
            return new ChatMessage(role, Content(message["content"], index));
        }

        var contents = new List<AIContent>();
        if (message["content"] is not null && Content(message["content"], index) is { Length: > 0 } text)
        {
            contents.Add(new TextContent(text));
        }

        foreach (var call in calls)
        {
            if (call?["function"] is not JsonObject function || Text(call["id"]) is not { } id || Text(function["name"]) is not { } name)
            {
                throw ApiException.BadRequest($"'messages[{index}].tool_calls' must hold {{id, type: function, function: {{name, arguments}}}}.", "messages");
            }

            var arguments = Text(function["arguments"]) is { } json ? JsonNode.Parse(json) as JsonObject : null;
            contents.Add(new FunctionCallContent(id, name, arguments?.ToDictionary(kv => kv.Key, kv => (object?)JsonSerializer.SerializeToElement(kv.Value))));
        }

        return new ChatMessage(ChatRole.Assistant, contents);
    }

    private static ChatRole Role(JsonNode? node, int index) => Text(node) is { } role
        ? role switch
        {
            "system" or "developer" => ChatRole.System,
            "user" => ChatRole.User,
            "assistant" => ChatRole.Assistant,
            var other => throw ApiException.BadRequest($"'messages[{index}].role' is '{other}'; expected system, developer, user, assistant or tool.", "messages"),
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
