using System.Text.Json.Nodes;
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
        WriteByteLevelTokenizer();
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

    /// <summary>A GPT-2-style tokenizer.json: the 256 byte characters, one merge, and an end-of-text special token.</summary>
    private void WriteByteLevelTokenizer()
    {
        var vocab = new JsonObject();
        var byteChars = Enumerable.Range(0, 256).Select(b => AdaptLab.Engine.HuggingFace.Tokenization.ByteLevelAlphabet.Encode([(byte)b])).ToList();
        for (var b = 0; b < 256; b++)
        {
            vocab[byteChars[b]] = b;
        }

        vocab["Ġt"] = 257;
        var byteLevel = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = true };
        var tokenizer = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = new JsonArray(new JsonObject
            {
                ["id"] = EndId,
                ["content"] = "<|end|>",
                ["single_word"] = false,
                ["lstrip"] = false,
                ["rstrip"] = false,
                ["normalized"] = false,
                ["special"] = true,
            }),
            ["normalizer"] = null,
            ["pre_tokenizer"] = byteLevel.DeepClone(),
            ["post_processor"] = byteLevel.DeepClone(),
            ["decoder"] = byteLevel.DeepClone(),
            ["model"] = new JsonObject { ["type"] = "BPE", ["vocab"] = vocab, ["merges"] = new JsonArray("Ġ t") },
        };
        File.WriteAllText(Path.Combine(directory, HfTokenizer.TokenizerFile), tokenizer.ToJsonString());
    }
}
