using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace AdaptLab.Server.Tests;

[Collection(ServedStoriesCollection.Name)]
public sealed class ChatCompletionsTests(ServedStories served)
{
    public static TheoryData<string, ChatOptions> Requests => new()
    {
        { "Once upon a time", new ChatOptions { Temperature = 0, MaxOutputTokens = 40 } },
        { "Lily saw a big dog. The dog", new ChatOptions { Temperature = 0, MaxOutputTokens = 30, StopSequences = [",", "."] } },
        { "Tom went to the park", new ChatOptions { Temperature = 0.9f, TopP = 0.8f, Seed = 42, MaxOutputTokens = 30 } },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task A_served_completion_equals_the_engines_own(string prompt, ChatOptions options)
    {
        var direct = await served.Direct.GetResponseAsync(prompt, options.Clone());

        var remote = await served.Remote.GetResponseAsync(prompt, options.Clone());

        Assert.NotEmpty(direct.Text);
        Assert.Equal(direct.Text, remote.Text);
        Assert.Equal(direct.FinishReason, remote.FinishReason);
        Assert.Equal(direct.Usage!.InputTokenCount, remote.Usage!.InputTokenCount);
        Assert.Equal(direct.Usage.OutputTokenCount, remote.Usage.OutputTokenCount);
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Streamed_chunks_concatenate_to_the_same_text(string prompt, ChatOptions options)
    {
        var direct = await served.Direct.GetResponseAsync(prompt, options.Clone());

        var chunks = new List<ChatResponseUpdate>();
        await foreach (var update in served.Remote.GetStreamingResponseAsync(prompt, options.Clone()))
        {
            chunks.Add(update);
        }

        Assert.True(chunks.Count(c => c.Text.Length > 0) > 1, "the reply should arrive in several chunks");
        Assert.Equal(direct.Text, string.Concat(chunks.Select(c => c.Text)));
        Assert.Equal(direct.FinishReason, chunks.Select(c => c.FinishReason).Last(r => r is not null));
    }

    [Fact]
    public async Task The_event_stream_has_openais_chunk_shape_and_ends_with_done()
    {
        var body = new { model = ServedStories.Name, messages = new[] { new { role = "user", content = "Once upon a time" } }, temperature = 0, max_tokens = 12, stream = true, stream_options = new { include_usage = true } };
        using var response = await served.Http.PostAsync(served.Endpoint + "/chat/completions", new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonNode.Parse(e["data: ".Length..])!).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", (string?)c["object"]));
        Assert.Single(chunks.Select(c => (string?)c["id"]).Distinct());
        Assert.Equal("assistant", (string?)chunks[0]["choices"]![0]!["delta"]!["role"]);
        Assert.Equal("length", (string?)chunks[^2]["choices"]![0]!["finish_reason"]);
        Assert.Empty(chunks[^1]["choices"]!.AsArray());
        Assert.Equal(12, (int)chunks[^1]["usage"]!["completion_tokens"]!);

        var direct = await served.Direct.GetResponseAsync("Once upon a time", new ChatOptions { Temperature = 0, MaxOutputTokens = 12 });
        Assert.Equal(direct.Text, string.Concat(chunks.Select(c => (string?)c["choices"]!.AsArray().FirstOrDefault()?["delta"]?["content"])));
    }

    [Fact]
    public async Task Concurrent_requests_are_answered_as_if_alone()
    {
        var prompts = new[] { "Once upon a time", "The cat", "Sam and Mia" };
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 20 };
        var alone = new List<string>();
        foreach (var prompt in prompts)
        {
            alone.Add((await served.Direct.GetResponseAsync(prompt, options.Clone())).Text);
        }

        var together = await Task.WhenAll(prompts.Select(p => served.Remote.GetResponseAsync(p, options.Clone())));

        Assert.Equal(alone, together.Select(r => r.Text));
    }
}
