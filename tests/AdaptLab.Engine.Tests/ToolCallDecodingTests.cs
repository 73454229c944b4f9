using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AdaptLab.Engine.Tests;

/// <summary>Tool calls on the real stories260K weights: whatever the tiny model would say, decoding admits only offered, well-formed calls.</summary>
public sealed class ToolCallDecodingTests
{
    private static readonly AIFunctionDeclaration Area = AIFunctionFactory.CreateDeclaration("calculate_triangle_area", "Area of a triangle.",
        JsonDocument.Parse("""{"type":"object","properties":{"base":{"type":"integer"},"height":{"type":"integer"},"unit":{"type":"string","maxLength":8}},"required":["base","height"]}""").RootElement);

    private static readonly AIFunctionDeclaration Factorial = AIFunctionFactory.CreateDeclaration("math.factorial", "n!",
        JsonDocument.Parse("""{"type":"object","properties":{"number":{"type":"integer"}},"required":["number"]}""").RootElement);

    /// <summary>A schema constrained decoding does not support (pattern): the tool's name is still constrained, its arguments are any object.</summary>
    private static readonly AIFunctionDeclaration Patterned = AIFunctionFactory.CreateDeclaration("lookup", null,
        JsonDocument.Parse("""{"type":"object","properties":{"code":{"type":"string","pattern":"^[A-Z]+$"}}}""").RootElement);

    [Theory]
    [InlineData(12345)]
    [InlineData(7)]
    [InlineData(99)]
    public async Task A_required_call_names_an_offered_tool_with_arguments_that_fit_its_schema(int seed)
    {
        Stories260K.UseTestThreads();
        using var model = LocalModel.Open(Stories260K.Directory);
        var options = new ChatOptions { Tools = [Area, Factorial, Patterned], ToolMode = ChatToolMode.RequireAny, MaxOutputTokens = 60, Temperature = 1, Seed = seed };

        var response = await model.GetResponseAsync([new ChatMessage(ChatRole.User, "Find the area of a triangle with base 10 and height 5.")], options);

        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.NotEmpty(calls);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        foreach (var call in calls)
        {
            Assert.Contains(call.Name, new[] { Area.Name, Factorial.Name, Patterned.Name });
            var arguments = call.Arguments!.ToDictionary(kv => kv.Key, kv => (JsonElement)kv.Value!);
            if (call.Name == Area.Name)
            {
                Assert.Equal(JsonValueKind.Number, arguments["base"].ValueKind);
                Assert.True(arguments["height"].TryGetInt64(out _));
                Assert.All(arguments.Keys, k => Assert.Contains(k, new[] { "base", "height", "unit" }));
            }
            else if (call.Name == Factorial.Name)
            {
                Assert.True(arguments["number"].TryGetInt64(out _));
            }
        }
    }

    [Fact]
    public async Task Without_tools_the_reply_is_text_and_with_auto_mode_an_empty_list_is_no_call()
    {
        Stories260K.UseTestThreads();
        using var model = LocalModel.Open(Stories260K.Directory);
        var messages = new[] { new ChatMessage(ChatRole.User, "Once upon a time") };

        var plain = await model.GetResponseAsync(messages, new ChatOptions { MaxOutputTokens = 8, Temperature = 0 });
        var auto = await model.GetResponseAsync(messages, new ChatOptions { Tools = [Factorial], MaxOutputTokens = 2, Temperature = 0 });

        Assert.Empty(plain.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.NotEmpty(plain.Text);
        // Two tokens cannot hold a call, only "[]": no call.
        Assert.Empty(auto.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
    }
}
