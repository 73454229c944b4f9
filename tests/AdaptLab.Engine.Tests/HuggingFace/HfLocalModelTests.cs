using AdaptLab.Engine.Generation;
using AdaptLab.Engine.HuggingFace;
using Microsoft.Extensions.AI;

namespace AdaptLab.Engine.Tests.HuggingFace;

public sealed class HfLocalModelTests : IDisposable
{
    private const int EndId = 256;
    private readonly string directory = Directory.CreateTempSubdirectory("hf-local-").FullName;

    public HfLocalModelTests()
    {
        HfCheckpointFixture.Write(directory, HfCheckpointFixture.Config("qwen2", new { vocab_size = 260, tie_word_embeddings = true }), "BF16", sharded: true);
        HfCheckpointFixture.WriteByteLevelTokenizer(directory, EndId);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task A_huggingface_directory_opens_as_a_chat_client_that_completes_text()
    {
        using var client = LocalModel.Open(directory, new LocalModelOptions(Threads: 1));
        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi there")], new ChatOptions { Temperature = 0, MaxOutputTokens = 6 });

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(7, response.Usage?.InputTokenCount); // "hi there": a token per byte, but " t" merges; no BOS
        Assert.Equal(6, response.Usage?.OutputTokenCount);
    }

    [Fact]
    public void Generation_config_eos_token_ids_stop_generation()
    {
        using (var client = LocalModel.Open(directory, new LocalModelOptions(Threads: 1)))
        {
            var first = FirstGreedyToken(client.Generator);
            File.WriteAllText(Path.Combine(directory, HfTokenizer.GenerationConfigFile), $$"""{"eos_token_id": [{{EndId}}, {{first}}]}""");
        }

        using var reopened = LocalModel.Open(directory, new LocalModelOptions(Threads: 1));
        var chunks = reopened.Generator.Complete(reopened.Generator.Tokenizer.Encode("hi there", addBos: true), new GenerationOptions { Temperature = 0, MaxTokens = 6 }).ToList();
        Assert.Equal(FinishReason.EndOfSequence, chunks[^1].FinishReason);
        Assert.Equal("", string.Concat(chunks.Select(c => c.Text)));
    }

    private static int FirstGreedyToken(TextGenerator generator) =>
        generator.Complete(generator.Tokenizer.Encode("hi there", addBos: true), new GenerationOptions { Temperature = 0, MaxTokens = 1 })
            .First(c => c.TokenId is not null).TokenId!.Value;
}
