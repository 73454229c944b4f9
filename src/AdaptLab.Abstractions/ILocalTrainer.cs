using Microsoft.Extensions.AI;

namespace AdaptLab.Abstractions;

/// <summary>Supervised fine-tuning on the in-process engine, of the same model and with the same prompt rendering the eval uses.</summary>
public interface ILocalTrainer
{
    /// <summary>
    /// Trains a copy of <paramref name="baseModel"/> (or LoRA adapters on it) on <paramref name="examples"/> and writes it to
    /// <paramref name="outputFolder"/>, loadable as <c>local:</c> (an adapter folder loads its base with the adapter merged).
    /// </summary>
    /// <param name="resume">Continue from the last checkpoint in <paramref name="outputFolder"/>, which must have the same options and data.</param>
    /// <param name="validation">Held-out examples (the dev split): their loss every <see cref="TrainingOptions.EvaluateEvery"/> steps picks the weights kept and can stop training early.</param>
    /// <param name="scorer">The task's metric on the dev split by generation, at the same steps: when given, it (not the loss) picks the weights kept.</param>
    /// <exception cref="ArgumentException">An example does not fit the model, a LoRA setting is out of range, or the checkpoint to resume is missing or was made otherwise.</exception>
    TrainingResult FineTune(
        string baseModel, IReadOnlyList<TrainingExample> examples, string outputFolder, TrainingOptions options,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken, bool resume = false, IReadOnlyList<TrainingExample>? validation = null,
        IDevScorer? scorer = null);
}

/// <summary>One example: the conversation as the eval renders it, and the reply the model should give.</summary>
public sealed record TrainingExample(IReadOnlyList<ChatMessage> Prompt, string Answer);

/// <summary>
/// Fine-tuning with AdamW, linear warm-up then cosine decay to a tenth of the rate, gradient clipping; the loss is on
/// answer tokens only. Every weight trains, unless <see cref="Lora"/> trains low-rank adapters instead.
/// </summary>
/// <param name="Steps">Optimizer steps.</param>
/// <param name="BatchSize">Examples per step (drawn without replacement, reshuffled each pass, seeded).</param>
/// <param name="CheckpointEvery">Steps between checkpoints (weights, optimizer state, step, losses) that a killed run resumes from.</param>
/// <param name="Accumulate">Batches whose gradients add up before each optimizer step (an effective batch of BatchSize × Accumulate).</param>
/// <param name="EvaluateEvery">Steps between validation losses (and at the last step), when validation examples are given.</param>
/// <param name="Patience">Stop after this many validations in a row without a lower loss; 0 never stops early.</param>
/// <param name="Lora">Train low-rank adapters (and the modules it names) on a frozen base, written in PEFT's layout; null trains every weight.</param>
/// <param name="Pack">Put a batch's examples one after another in as few rows as hold them, each attending only to itself, instead of a padded row each.</param>
/// <param name="Bf16">Train in bfloat16: weights, activations, adapters and AdamW's state (the loss in float32); half the memory, about twice the matrix rate on CPUs with bf16 units.</param>
public sealed record TrainingOptions(
    int Steps = 60, int BatchSize = 16, double LearningRate = 1e-3, int WarmupSteps = 5, double WeightDecay = 0.0, double MaxGradNorm = 1.0, int Seed = 0,
    int CheckpointEvery = 20, int Accumulate = 1, int EvaluateEvery = 10, int Patience = 0, LoraOptions? Lora = null, bool Pack = false, bool Bf16 = false);

public sealed record TrainingProgress(int Step, int Steps, double Loss, double LearningRate, double TokensPerSecond);

/// <param name="Losses">The training loss of every step, in order.</param>
/// <param name="Tokens">Answer tokens trained on (the loss's tokens), all steps together.</param>
/// <param name="Validation">The validation loss by step; empty without validation examples.</param>
/// <param name="BestStep">The step whose weights were kept: the best dev metric, else the lowest validation loss, else the last step.</param>
public sealed record TrainingResult(
    string ModelPath, IReadOnlyList<double> Losses, double Seconds, long Tokens, IReadOnlyList<ValidationPoint> Validation, int BestStep);

/// <param name="Metric">The dev split's score by generation (<see cref="IDevScorer"/>), when the trainer had a scorer.</param>
public sealed record ValidationPoint(int Step, double Loss, double? Metric = null);

/// <summary>
/// The in-process trainer's arithmetic, as a number: raised with every change that trains other weights from the same
/// inputs, so a ladder retrains instead of reusing a model an older trainer made. 2: its own AdamW, with PyTorch's
/// beta2 of 0.999 (TorchSharp's optim.AdamW() had defaulted to 0.99).
/// </summary>
public static class TrainerRevision
{
    public const int Current = 2;
}

/// <summary>The layout of a training's output folder that callers rely on.</summary>
public static class TrainingFolders
{
    /// <summary>The sub-folder of the latest checkpoint, which a resumed training continues from; gone once training ends.</summary>
    public const string Checkpoint = "checkpoint";
}
