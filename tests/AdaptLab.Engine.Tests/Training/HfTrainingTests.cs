using System.Text.Json.Nodes;
using AdaptLab.Abstractions;
using AdaptLab.Engine.HuggingFace;
using AdaptLab.Engine.Tests.HuggingFace;
using AdaptLab.Engine.Training;
using Microsoft.Extensions.AI;

namespace AdaptLab.Engine.Tests.Training;

/// <summary>
/// Fine-tuning a Hugging Face chat model (a tiny random Qwen2 with a byte-level tokenizer and a chat template): rows are
/// the conversation as the template renders it, the tuned model is written back in Hugging Face's layout, and the LoRA
/// adapter, loaded with its base, answers as the merged copy does.
/// </summary>
[Collection(TorchGeneratorCollection.Name)]
public sealed class HfTrainingTests : IDisposable
{
    private const int EndId = 256;
    private readonly string directory = Directory.CreateTempSubdirectory("hf-training-").FullName;
    private readonly string baseFolder;

    public HfTrainingTests()
    {
        Stories260K.UseTestThreads();
        baseFolder = Path.Combine(directory, "base");
        HfCheckpointFixture.Write(baseFolder, HfCheckpointFixture.Config("qwen2", new { vocab_size = 260, max_position_embeddings = 64 }), "F32", sharded: false);
        HfCheckpointFixture.WriteByteLevelTokenizer(baseFolder, EndId);
        File.WriteAllText(Path.Combine(baseFolder, HfTokenizer.TokenizerConfigFile), new JsonObject
        {
            ["eos_token"] = "<|end|>",
            ["chat_template"] = "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}<|end|>{% endfor %}{% if add_generation_prompt %}assistant: {% endif %}",
        }.ToJsonString());
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static readonly TrainingExample[] Examples =
        [.. new[] { "cat", "dog", "sun", "hat" }.Select(w => new TrainingExample([new ChatMessage(ChatRole.User, "say " + w)], w))];

    [Fact]
    public async Task Full_fine_tuning_writes_a_Hugging_Face_folder_that_answers_as_trained_and_ends_its_turn()
    {
        var output = Path.Combine(directory, "full");
        var result = SftTrainer.FineTune(baseFolder, Examples, output, new TrainingOptions(Steps: 80, BatchSize: 4, LearningRate: 1e-2, WarmupSteps: 5), null, default, false, []);

        Assert.True(result.Losses[^1] < result.Losses[0] / 20, $"loss {result.Losses[0]} → {result.Losses[^1]}");
        Assert.True(HfCheckpoint.IsModelDirectory(output));
        using var tuned = LocalModel.Open(output, new LocalModelOptions(Threads: 1));
        foreach (var example in Examples)
        {
            var reply = await tuned.GetResponseAsync(example.Prompt, new ChatOptions { Temperature = 0, MaxOutputTokens = 8 });
            Assert.Equal(example.Answer, reply.Text);
            Assert.Equal(ChatFinishReason.Stop, reply.FinishReason); // the template's <|end|> after the reply was trained too
        }
    }

    [Fact]
    public async Task A_LoRA_adapter_on_a_Hugging_Face_base_answers_as_its_merged_copy()
    {
        var output = Path.Combine(directory, "lora");
        var lora = new LoraOptions(4, 8, 0, LoraOptions.AllProjections, ["embed_tokens", "lm_head"]);
        SftTrainer.FineTune(baseFolder, Examples, output, new TrainingOptions(Steps: 80, BatchSize: 4, LearningRate: 3e-2, WarmupSteps: 5, Lora: lora), null, default, false, []);

        using var adapted = LocalModel.Open(output, new LocalModelOptions(Threads: 1));
        using var merged = LocalModel.Open(Path.Combine(output, SftTrainer.MergedFolder), new LocalModelOptions(Threads: 1));
        using var untouched = LocalModel.Open(baseFolder, new LocalModelOptions(Threads: 1));
        var learnt = 0;
        foreach (var example in Examples)
        {
            var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 8 };
            var reply = (await adapted.GetResponseAsync(example.Prompt, options)).Text;
            Assert.Equal(reply, (await merged.GetResponseAsync(example.Prompt, options)).Text);
            Assert.NotEqual(reply, (await untouched.GetResponseAsync(example.Prompt, options)).Text);
            learnt += reply == example.Answer ? 1 : 0;
        }

        Assert.True(learnt >= 3, $"the adapter answers {learnt} of 4 as trained");
    }
}
