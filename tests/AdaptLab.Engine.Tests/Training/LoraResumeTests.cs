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
