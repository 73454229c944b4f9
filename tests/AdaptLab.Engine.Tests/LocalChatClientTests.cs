using AdaptLab.Tests.Support;
using Microsoft.Extensions.AI;

namespace AdaptLab.Engine.Tests;

public class LocalChatClientTests
{
    [Fact]
    public async Task An_empty_prompt_completes_from_bos_like_llama2c_with_usage_counted()
    {
        using var client = Stories260K.Client();
        var expected = File.ReadAllText(SharedData.Path("models", "stories260K", "expected-greedy-200.txt"));

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "")], new ChatOptions { Temperature = 0, MaxOutputTokens = 200 });

        Assert.Equal(expected, response.Text);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(1, response.Usage?.InputTokenCount);
        Assert.Equal(200, response.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task Streaming_yields_the_same_text_as_the_response_and_honours_options()
    {
        using var client = Stories260K.Client();
        ChatMessage[] messages = [new(ChatRole.System, "Once upon a time,"), new(ChatRole.User, " there was a")];
        var options = new ChatOptions { Temperature = 0.8f, TopP = 0.9f, TopK = 50, Seed = 5, MaxOutputTokens = 30, StopSequences = ["\n"] };

        var response = await client.GetResponseAsync(messages, options);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages, options))
        {
            updates.Add(update);
        }

        Assert.True(updates.Count > 1);
        Assert.Equal(response.Text, string.Concat(updates.Select(u => u.Text)));
        Assert.DoesNotContain("\n", response.Text, StringComparison.Ordinal);
        Assert.Equal(client.Generator.Tokenizer.Encode("Once upon a time, there was a", addBos: true).Count, response.Usage?.InputTokenCount);
        Assert.InRange(response.Usage?.OutputTokenCount ?? 0, 1, 30);
    }

    [Fact]
    public void Open_accepts_the_checkpoint_path_and_rejects_a_missing_one()
    {
        using var client = LocalModel.Open(Stories260K.Checkpoint, new LocalModelOptions(Threads: 1));

        Assert.Equal("stories260K", client.GetService<ChatClientMetadata>()?.DefaultModelId);
        Assert.Throws<ArgumentException>(() => LocalModel.Open(Path.Combine(Stories260K.Directory, "missing.bin")));
    }
}
