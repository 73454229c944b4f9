using AdaptLab.Abstractions;
using AdaptLab.Engine.Training;

namespace AdaptLab.Engine.Tests.Training;

/// <summary>A LoRA run stopped after a checkpoint resumes from it (adapters, saved modules and AdamW's state) and ends as an uninterrupted run.</summary>
[Collection(TorchGeneratorCollection.Name)]
public sealed class LoraResumeTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("lora-resume-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void A_stopped_LoRA_run_resumes_to_the_uninterrupted_losses_and_adapter()
    {
        Stories260K.UseTestThreads();
        var examples = PetJsonExamples.Take(64);
        var lora = new LoraOptions(4, 8, 0.1, ["q_proj", "v_proj", "down_proj"], ["embed_tokens"]);
        var options = new TrainingOptions(Steps: 30, BatchSize: 8, LearningRate: 1e-2, CheckpointEvery: 10, Lora: lora);

        var whole = SftTrainer.FineTune(Stories260K.Directory, examples, Path.Combine(directory, "whole"), options, null, default, false, []);
        using (var stop = new CancellationTokenSource())
        {
            var progress = new StopAfter(14, stop);
            Assert.ThrowsAny<OperationCanceledException>(() =>
                SftTrainer.FineTune(Stories260K.Directory, examples, Path.Combine(directory, "stopped"), options, progress, stop.Token, false, []));
        }

        Assert.True(File.Exists(Path.Combine(directory, "stopped", SftTrainer.CheckpointFolder, "state.json")));
        var resumed = SftTrainer.FineTune(Stories260K.Directory, examples, Path.Combine(directory, "stopped"), options, null, default, true, []);

        Assert.Equal(whole.Losses, resumed.Losses);
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(directory, "whole", "adapter_model.safetensors")),
            File.ReadAllBytes(Path.Combine(directory, "stopped", "adapter_model.safetensors")));
    }

    [Theory]
    [InlineData("optimizer.bin")]
    [InlineData("model.bin")]
    public void A_checkpoint_cut_short_is_refused_with_its_folder_named(string file)
    {
        Stories260K.UseTestThreads();
        var examples = PetJsonExamples.Take(16);
        var options = new TrainingOptions(Steps: 4, BatchSize: 8, CheckpointEvery: 2, Lora: new LoraOptions(4, 8, 0, ["q_proj"], []));
        var output = Path.Combine(directory, "cut");
        using (var stop = new CancellationTokenSource())
        {
            Assert.ThrowsAny<OperationCanceledException>(() =>
                SftTrainer.FineTune(Stories260K.Directory, examples, output, options, new StopAfter(3, stop), stop.Token, false, []));
        }

        var checkpoint = Path.Combine(output, SftTrainer.CheckpointFolder);
        var path = Path.Combine(checkpoint, file);
        var whole = File.ReadAllBytes(path);
        File.WriteAllBytes(path, whole[..(whole.Length - 5)]);

        var error = Assert.Throws<ArgumentException>(() => SftTrainer.FineTune(Stories260K.Directory, examples, output, options, null, default, true, []));
        Assert.Contains(checkpoint, error.Message, StringComparison.Ordinal);

        // The control: the intact file resumes.
        File.WriteAllBytes(path, whole);
        Assert.Equal(4, SftTrainer.FineTune(Stories260K.Directory, examples, output, options, null, default, true, []).Losses.Count);
    }

    /// <summary>Cancels the run once it has reported <paramref name="steps"/> steps (past a checkpoint, before the next).</summary>
    private sealed class StopAfter(int steps, CancellationTokenSource stop) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step >= steps)
            {
                stop.Cancel();
            }
        }
    }
}
