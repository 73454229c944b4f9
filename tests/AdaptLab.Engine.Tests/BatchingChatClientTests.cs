using Microsoft.Extensions.AI;

namespace AdaptLab.Engine.Tests;

public class BatchingChatClientTests
{
    private static readonly string[] Prompts =
    [
        "Lily had a dog named Max. Lily had a dog. The dog's name was",
        "Once upon a time",
        "Tom went to the park",
        "The sun was",
        "Sue and Ben played with a ball",
        "One day, a little bird",
        "Mia saw a big red",
        "The cat sat on",
    ];

    [Fact]
    public async Task Concurrent_greedy_calls_run_as_batches_and_answer_as_single_calls_do()
    {
        using var single = Stories260K.Client();
        using var batching = new BatchingChatClient(Stories260K.Client());
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 24, StopSequences = ["."] };

        var expected = new List<string>();
        foreach (var prompt in Prompts)
        {
            expected.Add((await single.GetResponseAsync(prompt, options)).Text);
        }

        var replies = await Task.WhenAll(Prompts.Select(p => batching.GetResponseAsync(p, options.Clone())));

        Assert.Equal(expected, replies.Select(r => r.Text));
        Assert.All(replies, r => Assert.True(r.Usage?.OutputTokenCount > 0));
        Assert.InRange(batching.BatchesRun, 1, Prompts.Length - 1);
    }

    [Fact]
    public async Task Sampled_calls_run_alone_and_stay_reproducible()
    {
        using var batching = new BatchingChatClient(Stories260K.Client());
        var options = new ChatOptions { Temperature = 1, Seed = 42, MaxOutputTokens = 16 };

        var first = await Task.WhenAll(Prompts.Take(3).Select(p => batching.GetResponseAsync(p, options.Clone())));
        var again = await Task.WhenAll(Prompts.Take(3).Select(p => batching.GetResponseAsync(p, options.Clone())));

        Assert.Equal(first.Select(r => r.Text), again.Select(r => r.Text));
        Assert.Equal(6, batching.BatchesRun);
    }
}
