using AdaptLab.Engine.Generation;

namespace AdaptLab.Engine.Tests;

public class BatchGenerationTests
{
    [Fact]
    public void A_left_padded_greedy_batch_gives_each_prompt_its_single_run_text()
    {
        var generator = Stories260K.Generator();
        string[] prompts = ["Once upon a time", "Tom had a cat named Buddy. One day, Tom and Buddy went to the", "Lily"];
        var ids = prompts.Select(p => (IReadOnlyList<int>)generator.Tokenizer.Encode(p, addBos: true)).ToList();
        var options = new GenerationOptions { Temperature = 0, MaxTokens = 40, StopSequences = ["."] };

        var batched = generator.CompleteBatch(ids, options).ToList();

        for (var row = 0; row < prompts.Length; row++)
        {
            var single = generator.Complete(ids[row], options).ToList();
            var mine = batched.Where(step => step.Row == row).Select(step => step.Chunk).ToList();
            Assert.Equal(single, mine);
        }
    }
}
