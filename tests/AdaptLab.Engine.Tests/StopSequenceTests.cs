using AdaptLab.Engine.Generation;
using AdaptLab.Engine.LlamaC;
using AdaptLab.Tests.Support;

namespace AdaptLab.Engine.Tests;

public class StopSequenceTests
{
    [Fact]
    public void Text_is_cut_before_the_first_stop_sequence_even_when_it_spans_pieces()
    {
        var filter = new StopSequenceFilter(["END", "xyz"]);

        Assert.Equal("abc ", filter.Push("abc E"));
        Assert.Equal("", filter.Push("N"));
        Assert.Equal("", filter.Push("D and more"));
        Assert.True(filter.Stopped);
    }

    [Fact]
    public void Held_back_text_is_released_when_it_turns_out_not_to_be_a_stop()
    {
        var filter = new StopSequenceFilter(["END"]);

        Assert.Equal("a", filter.Push("aEN"));
        Assert.Equal("ENx", filter.Push("x"));
        Assert.Equal("", filter.Push("E"));
        Assert.Equal("E", filter.Flush());
        Assert.False(filter.Stopped);
    }

    [Fact]
    public void The_earliest_of_several_stop_sequences_wins()
    {
        var filter = new StopSequenceFilter(["two", "one"]);

        Assert.Equal("zero ", filter.Push("zero one two"));
    }

    [Fact]
    public void Generation_stops_at_a_stop_sequence_in_the_decoded_text()
    {
        var generator = Stories260K.Generator();
        var greedy = File.ReadAllText(SharedData.Path("models", "stories260K", "expected-greedy-200.txt"));
        var options = new GenerationOptions { Temperature = 0, MaxTokens = 200, StopSequences = ["named", "ball"] };

        var chunks = generator.Complete([LlamaCTokenizer.BosId], options).ToList();

        Assert.Equal(FinishReason.StopSequence, chunks[^1].FinishReason);
        Assert.Equal(greedy[..greedy.IndexOf("named", StringComparison.Ordinal)], string.Concat(chunks.Select(c => c.Text)));
        Assert.True(chunks.Count(c => c.TokenId is not null) < 20);
    }
}
