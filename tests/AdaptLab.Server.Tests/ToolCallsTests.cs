using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdaptLab.Server.Tests;

/// <summary><c>tools</c> on the served stories260K: the reply is <c>tool_calls</c> of offered functions with arguments that fit their schemas.</summary>
[Collection(ServedStoriesCollection.Name)]
public sealed class ToolCallsTests(ServedStories served)
{
    private static JsonArray Tools => JsonNode.Parse("""
        [
          {"type": "function", "function": {"name": "get_weather", "description": "Weather in a city",
            "parameters": {"type": "object", "properties": {"city": {"type": "string", "maxLength": 12}, "days": {"type": "integer"}}, "required": ["city"]}}},
          {"type": "function", "function": {"name": "stop"}}
        ]
        """)!.AsArray();

    [Theory]
    [InlineData("\"required\"", null)]
    [InlineData("""{"type": "function", "function": {"name": "get_weather"}}""", "get_weather")]
    public async Task A_required_tool_choice_answers_with_tool_calls_that_fit_the_offered_schemas(string choice, string? only)
    {
        var body = await PostAsync(new JsonObject
        {
            ["model"] = ServedStories.Name,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "What is the weather in Oslo?" }),
            ["tools"] = Tools,
            ["tool_choice"] = JsonNode.Parse(choice),
            ["temperature"] = 1,
            ["seed"] = 3,
            ["max_tokens"] = 40,
        });

        var choice0 = body["choices"]![0]!;
        Assert.Equal("tool_calls", (string?)choice0["finish_reason"]);
        var calls = choice0["message"]!["tool_calls"]!.AsArray();
        Assert.NotEmpty(calls);
        foreach (var call in calls)
        {
            Assert.Equal("function", (string?)call!["type"]);
            Assert.False(string.IsNullOrEmpty((string?)call["id"]));
            var name = (string)call["function"]!["name"]!;
            Assert.Contains(name, only is null ? new[] { "get_weather", "stop" } : [only]);
            var arguments = JsonNode.Parse((string)call["function"]!["arguments"]!)!.AsObject();
            if (name == "get_weather")
            {
                Assert.Equal(JsonValueKind.String, arguments["city"]!.GetValueKind());
                Assert.All(arguments, a => Assert.Contains(a.Key, new[] { "city", "days" }));
            }
        }
    }

    [Fact]
    public async Task A_conversation_with_a_tool_result_is_accepted_and_no_tools_gives_text()
    {
        var body = await PostAsync(new JsonObject
        {
            ["model"] = ServedStories.Name,
            ["messages"] = JsonNode.Parse("""
                [
                  {"role": "user", "content": "Weather in Oslo?"},
                  {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\": \"Oslo\"}"}}]},
                  {"role": "tool", "tool_call_id": "call_1", "content": "sunny"}
                ]
                """),
            ["temperature"] = 0,
            ["max_tokens"] = 8,
        });

        var message = body["choices"]![0]!["message"]!;
        Assert.Null(message["tool_calls"]);
        Assert.Contains((string?)body["choices"]![0]!["finish_reason"], new[] { "stop", "length" });
        Assert.NotNull((string?)message["content"]);
    }

    private async Task<JsonNode> PostAsync(JsonObject request)
    {
        using var response = await served.Http.PostAsJsonAsync(served.Endpoint + "/chat/completions", request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!;
    }
}
