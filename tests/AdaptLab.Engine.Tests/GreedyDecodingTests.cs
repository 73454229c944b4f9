using AdaptLab.Engine.Generation;
using AdaptLab.Engine.LlamaC;
using AdaptLab.Tests.Support;

namespace AdaptLab.Engine.Tests;

public class GreedyDecodingTests
{
    [Fact]
    public void Stories260K_greedy_200_steps_from_bos_match_llama2c_byte_for_byte()
    {
        // llama2.c's test_all.py runs `run stories260K.bin -z tok512.bin -t 0.0 -n 200` (200 positions from BOS,
        // each printing the token it predicts) and compares stdout without its final newline to this text.
        var expected = File.ReadAllBytes(SharedData.Path("models", "stories260K", "expected-greedy-200.txt"));
        var generator = Stories260K.Generator();

        var chunks = generator.Complete([LlamaCTokenizer.BosId], new GenerationOptions { Temperature = 0, MaxTokens = 200 }).ToList();

        Assert.Equal(200, chunks.Count(c => c.TokenId is not null));
        Assert.Equal(FinishReason.Length, chunks[^1].FinishReason);
        Assert.Equal(expected, System.Text.Encoding.UTF8.GetBytes(string.Concat(chunks.Select(c => c.Text))));
    }
}
