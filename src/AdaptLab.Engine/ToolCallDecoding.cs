using System.Text.Json;
using System.Text.Json.Nodes;
using AdaptLab.Engine.Constrained;
using Microsoft.Extensions.AI;

namespace AdaptLab.Engine;

/// <summary>
/// Tool calls on the in-process engine. The offered tools go to the chat template (which renders them as the model
/// was trained to see them), and the reply is decoded under a JSON Schema that admits only calls of those tools:
/// a list of <c>{"tool": {arguments}}</c>, each tool's arguments under its own parameters schema (or any object where
/// that schema uses what constrained decoding does not support). <c>[]</c> is no call, unless the tool mode requires one.
/// The reply becomes <see cref="FunctionCallContent"/>s.
/// </summary>
internal static class ToolCallDecoding
{
    private static readonly JsonNode AnyObject = new JsonObject { ["type"] = "object" };

    /// <summary>The offered function declarations, or none when tools are absent, turned off, or a response format is set.</summary>
    /// <remarks>A required specific function leaves only that one.</remarks>
    public static IReadOnlyList<AIFunctionDeclaration> Offered(ChatOptions? options) =>
        options is { Tools: { Count: > 0 } tools, ResponseFormat: null } && options.ToolMode is not NoneChatToolMode
            ? [.. tools.OfType<AIFunctionDeclaration>().Where(t => options.ToolMode is not RequiredChatToolMode { RequiredFunctionName: { } only } || t.Name == only)]
            : [];

    public static JsonElement Schema(IReadOnlyList<AIFunctionDeclaration> tools, ChatToolMode? mode)
    {
        var properties = new JsonObject();
        foreach (var tool in tools)
        {
            properties[tool.Name] = Supported(tool.JsonSchema) ? JsonNode.Parse(tool.JsonSchema.GetRawText()) : AnyObject.DeepClone();
        }

        var schema = new JsonObject
        {
            ["type"] = "array",
            ["items"] = new JsonObject { ["type"] = "object", ["minProperties"] = 1, ["maxProperties"] = 1, ["properties"] = properties },
        };
        if (mode is RequiredChatToolMode)
        {
            schema["minItems"] = 1;
        }

        using var document = JsonDocument.Parse(schema.ToJsonString());
        return document.RootElement.Clone();
    }

    /// <summary>The response with its JSON reply replaced by the calls it names (none for <c>[]</c>).</summary>
    public static ChatResponse ToCalls(ChatResponse response)
    {
        JsonNode? reply;
        try
        {
            reply = JsonNode.Parse(response.Text);
        }
        catch (JsonException)
        {
            return response;
        }

        if (response.Messages.LastOrDefault() is not { } message || reply is not JsonArray calls)
        {
            return response;
        }

        var contents = message.Contents.Where(c => c is not TextContent).ToList();
        var index = 0;
        foreach (var call in calls.OfType<JsonObject>())
        {
            var (name, arguments) = call.Single();
            var values = (arguments as JsonObject ?? []).ToDictionary(kv => kv.Key, kv => (object?)JsonSerializer.SerializeToElement(kv.Value));
            contents.Add(new FunctionCallContent($"call_{response.ResponseId}_{index++}", name, values));
        }

        message.Contents = contents;
        if (index > 0)
        {
            response.FinishReason = ChatFinishReason.ToolCalls;
        }

        return response;
    }

    private static bool Supported(JsonElement schema)
    {
        try
        {
            JsonSchemaCompiler.Compile(schema);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
