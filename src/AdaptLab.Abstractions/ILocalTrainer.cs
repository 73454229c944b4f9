using Microsoft.Extensions.AI;

namespace AdaptLab.Abstractions;

/// <summary>Supervised fine-tuning on the in-process engine, of the same model and with the same prompt rendering the eval uses.</summary>
public interface ILocalTrainer
{
    /// <summary>Trains a copy of <paramref name="baseModel"/> on <paramref name="examples"/> and writes it to <paramref name="outputFolder"/>, loadable as <c>local:</c>.</summary>
    /// <param name="resume">Continue from the last checkpoint in <paramref name="outputFolder"/>, which must have the same options and data.</param>
    /// <exception cref="NotSupportedException">The base model's format cannot be written back yet.</exception>
    /// <exception cref="ArgumentException">An example does not fit the model, or the checkpoint to resume is missing or was made otherwise.</exception>
    TrainingResult FineTune(
        string baseModel, IReadOnlyList<TrainingExample> examples, string outputFolder, TrainingOptions options,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken, bool resume = false);
}

/// <summary>One example: the conversation as the eval renders it, and the reply the model should give.</summary>
public sealed record TrainingExample(IReadOnlyList<ChatMessage> Prompt, string Answer);

/// <summary>Full fine-tuning with AdamW, linear warm-up then cosine decay to a tenth of the rate, gradient clipping; the loss is on answer tokens only.</summary>
/// <param name="Steps">Optimizer steps.</param>
/// <param name="BatchSize">Examples per step (drawn without replacement, reshuffled each pass, seeded).</param>
/// <param name="CheckpointEvery">Steps between checkpoints (weights, optimizer state, step, losses) that a killed run resumes from.</param>
public sealed record TrainingOptions(
    int Steps = 60, int BatchSize = 16, double LearningRate = 1e-3, int WarmupSteps = 5, double WeightDecay = 0.0, double MaxGradNorm = 1.0, int Seed = 0,
    int CheckpointEvery = 20);

public sealed record TrainingProgress(int Step, int Steps, double Loss, double LearningRate, double TokensPerSecond);

/// <param name="Losses">The training loss of every step, in order.</param>
/// <param name="Tokens">Answer tokens trained on (the loss's tokens), all steps together.</param>
public sealed record TrainingResult(string ModelPath, IReadOnlyList<double> Losses, double Seconds, long Tokens);
