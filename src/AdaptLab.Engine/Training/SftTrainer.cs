using System.Diagnostics;
using AdaptLab.Abstractions;
using AdaptLab.Engine.HuggingFace;
using AdaptLab.Engine.LlamaC;
using TorchSharp;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Training;

/// <summary>
/// Supervised fine-tuning of a llama2.c or Hugging Face checkpoint, of every weight or of LoRA adapters: each example
/// is the prompt the eval would send, encoded as the eval encodes it, followed by the answer and its end; cross-entropy
/// on the answer's tokens only; a right-padded row per example, or packed rows (<see cref="Loss"/>). When the dev split
/// is checked, its loss or the task's metric by generation picks the weights kept. Seeded: the same seed and data give
/// the same weights. Every <see cref="TrainingOptions.CheckpointEvery"/> steps the trained weights, AdamW's state, the step
/// and the losses go to a checkpoint folder (written aside, then renamed): a killed run resumes there, replays the
/// seeded example order up to that step, and ends with the loss an uninterrupted run ends with. Full fine-tuning writes
/// the model in its base's format; LoRA writes a PEFT adapter, and the adapter merged into the base under merged/.
/// </summary>
internal static class SftTrainer
{
    private const long Ignore = -100;

    public const string CheckpointFolder = TrainingFolders.Checkpoint;

    public const string MergedFolder = "merged";

    public static TrainingResult FineTune(
        string baseModel, IReadOnlyList<TrainingExample> examples, string outputFolder, TrainingOptions options,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken, bool resume, IReadOnlyList<TrainingExample> validation,
        IDevScorer? scorer = null)
    {
        if (examples.Count == 0)
        {
            throw new ArgumentException("no training examples", nameof(examples));
        }

        options.Lora?.Validate();
        if (Directory.Exists(baseModel) && PeftAdapter.IsIn(baseModel))
        {
            throw new ArgumentException($"{baseModel} is an adapter: train on its merged model ({Path.Combine(baseModel, MergedFolder)}) instead");
        }

        using var client = LocalModel.Open(baseModel);
        var model = client.Generator.Model;
        if (options.Bf16)
        {
            model.ConvertTo(ScalarType.BFloat16);
        }

        var rows = examples.Select(e => client.EncodeForTraining(e.Prompt, e.Answer)).ToList();
        var held = validation.Select(e => client.EncodeForTraining(e.Prompt, e.Answer)).ToList();
        var longest = rows.Concat(held).Max(r => r.Tokens.Count);
        if (longest > model.Config.MaxSeqLen)
        {
            throw new ArgumentException($"an example is {longest} tokens long, over the model's context of {model.Config.MaxSeqLen}");
        }

        torch.manual_seed(options.Seed);
        var order = new Batches(rows.Count, Math.Min(options.BatchSize, rows.Count), options.Seed);
        var weights = options.Lora is { } lora ? TrainableWeights.Lora(model, lora) : TrainableWeights.Full(model);
        model.train();
        weights.Train(true);
        using var optimizer = new AdamWOptimizer(weights.Named, options.LearningRate, options.WeightDecay);
        var losses = new List<double>();
        var clock = Stopwatch.StartNew();
        long trained = 0;
        var checkpoint = new TrainingCheckpoint(Path.Combine(outputFolder, CheckpointFolder), options, DataHash([.. rows, .. held]));
        var validated = new List<ValidationPoint>();
        Best? best = null;
        var first = 1;
        if (resume)
        {
            var state = checkpoint.Load(weights, optimizer);
            (losses, trained, first, validated) = ([.. state.Losses], state.Tokens, state.Step + 1, [.. state.Validation]);
            best = state.BestStep is { } bestStep ? new Best(bestStep, state.BestValue!.Value, checkpoint.LoadBest(weights)) : null;
            for (var step = 1; step < first; step++)
            {
                for (var micro = 0; micro < options.Accumulate; micro++)
                {
                    order.Next();
                }
            }
        }

        for (var step = first; step <= options.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rate = Rate(options, step);
            optimizer.LearningRate = rate;
            optimizer.ZeroGrad();
            // Dropout's masks depend on the seed and the step alone, so a resumed run draws the ones an uninterrupted run draws.
            torch.manual_seed((options.Seed * 1_000_003L) + step);
            var stepLoss = 0.0;
            for (var micro = 0; micro < options.Accumulate; micro++)
            {
                using var scope = NewDisposeScope();
                var (loss, tokens) = Loss(model, [.. order.Next().Select(i => rows[i])], options.Pack, 1.0 / options.Accumulate);
                stepLoss += loss / options.Accumulate;
                trained += tokens;
            }

            ClipGradients(weights.Parameters, options.MaxGradNorm);
            optimizer.Step();
            losses.Add(stepLoss);
            progress?.Report(new TrainingProgress(step, options.Steps, losses[^1], rate, trained / clock.Elapsed.TotalSeconds));
            var stop = false;
            if (held.Count > 0 && (step % options.EvaluateEvery == 0 || step == options.Steps))
            {
                model.eval();
                weights.Train(false);
                var point = new ValidationPoint(step, ValidationLoss(model, held, options.BatchSize), scorer?.Score(client, cancellationToken));
                model.train();
                weights.Train(true);
                validated.Add(point);
                var value = point.Metric ?? point.Loss;
                var lowerIsBetter = scorer is null || !scorer.HigherIsBetter;
                if (best is null || (lowerIsBetter ? value < best.Value : value > best.Value))
                {
                    best = new Best(step, value, Snapshot(weights));
                }

                stop = options.Patience > 0 && validated.Count(v => v.Step > best.Step) >= options.Patience;
            }

            if (stop)
            {
                break;
            }

            if (step % options.CheckpointEvery == 0 && step < options.Steps)
            {
                checkpoint.Save(weights, optimizer, new CheckpointState(step, losses, trained, validated, best?.Step, best?.Value), best?.Weights);
            }
        }

        if (best is not null)
        {
            using var noGrad = no_grad();
            foreach (var (name, parameter) in weights.Named)
            {
                parameter.copy_(best.Weights[name]);
            }
        }

        model.eval();
        weights.Train(false);
        string saved;
        if (options.Lora is { } adapter)
        {
            PeftAdapter.Save(outputFolder, model, weights.Adapters, adapter, baseModel);
            model.Adapters.Merge();
            WriteModel(model, baseModel, Path.Combine(outputFolder, MergedFolder));
            saved = outputFolder;
        }
        else
        {
            saved = WriteModel(model, baseModel, outputFolder);
        }

        checkpoint.Delete();
        return new TrainingResult(saved, losses, clock.Elapsed.TotalSeconds, trained, validated, best?.Step ?? losses.Count);
    }

    /// <summary>The model in its base's format, loadable as <c>local:</c>: a Hugging Face folder, or a llama2.c checkpoint with the base's tokenizer and chat template. Returns its path.</summary>
    private static string WriteModel(Llama.LlamaModel model, string baseModel, string folder)
    {
        Directory.CreateDirectory(folder);
        if (Directory.Exists(baseModel) && HfCheckpoint.IsModelDirectory(baseModel))
        {
            HfCheckpoint.Save(model, baseModel, folder);
            return folder;
        }

        var (baseCheckpoint, tokenizerPath) = LocalModel.LocateLlamaC(baseModel);
        var saved = Path.Combine(folder, Path.GetFileName(baseCheckpoint));
        LlamaCCheckpoint.Save(model, saved);
        ModelFiles.Copy(tokenizerPath, folder);
        var template = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(baseCheckpoint))!, "tokenizer_config.json");
        if (File.Exists(template))
        {
            ModelFiles.Copy(template, folder);
        }

        return saved;
    }

    /// <summary>
    /// The mean cross-entropy of a batch's answer tokens, and how many there are; with <paramref name="gradientScale"/>,
    /// back-propagated times that scale. Each example is a row of its own, right-padded (causal attention never looks
    /// ahead, so padding needs no mask); or, packed, the examples fill as few rows as hold them one after another (first
    /// fit, a row at most the model's context), each attending only to itself. The output layer runs only where a
    /// token is scored (<see cref="ChunkedCrossEntropy"/>).
    /// </summary>
    internal static (double Loss, long Tokens) Loss(Llama.LlamaModel model, IReadOnlyList<(List<int> Tokens, int AnswerStart)> batch, bool pack, double? gradientScale)
    {
        var rows = pack ? Packed(batch, model.Config.MaxSeqLen) : [.. batch.Select(example => new List<(List<int>, int)> { example })];
        var length = rows.Max(row => row.Sum(e => e.Tokens.Count));
        var inputs = new long[rows.Count * length];
        var targets = new long[rows.Count * length];
        var segments = new long[rows.Count * length];
        Array.Fill(targets, Ignore);
        Array.Fill(segments, -1); // padding: a sequence of its own
        for (var r = 0; r < rows.Count; r++)
        {
            var offset = r * length;
            for (var segment = 0; segment < rows[r].Count; segment++)
            {
                var (tokens, answerStart) = rows[r][segment];
                for (var t = 0; t < tokens.Count; t++)
                {
                    inputs[offset + t] = tokens[t];
                    segments[offset + t] = segment;
                    if (t + 1 < tokens.Count && t + 1 >= answerStart)
                    {
                        targets[offset + t] = tokens[t + 1];
                    }
                }

                offset += tokens.Count;
            }
        }

        using var scope = NewDisposeScope();
        var hidden = model.Hidden(tensor(inputs, [rows.Count, length]), pack ? tensor(segments, [rows.Count, length]) : null);
        return ChunkedCrossEntropy.Compute(hidden.view(-1, hidden.shape[^1]), tensor(targets), model.OutputWeight, Ignore, gradientScale);
    }

    /// <summary>
    /// Scales the gradients down to a total 2-norm of <paramref name="maxNorm"/>, as PyTorch's clip_grad_norm_: the norm
    /// of the per-parameter norms, and a coefficient of maxNorm / (norm + 1e-6) when under 1. TorchSharp's own passes that
    /// coefficient as an implicit Scalar, which can be finalized while libtorch reads it (see EngineScalars).
    /// </summary>
    private static void ClipGradients(IEnumerable<Tensor> parameters, double maxNorm)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var gradients = parameters.Select(p => p.grad).OfType<Tensor>().ToList();
        if (gradients.Count == 0)
        {
            return;
        }

        var coefficient = maxNorm / (stack(gradients.Select(g => g.norm())).norm().to(ScalarType.Float64).item<double>() + 1e-6);
        if (coefficient < 1)
        {
            using var scale = coefficient.ToScalar();
            gradients.ForEach(g => g.mul_(scale));
        }
    }

    /// <summary>First fit, in the batch's order: each example goes into the first row with room for it.</summary>
    private static List<List<(List<int> Tokens, int AnswerStart)>> Packed(IReadOnlyList<(List<int> Tokens, int AnswerStart)> batch, int capacity)
    {
        var rows = new List<List<(List<int> Tokens, int AnswerStart)>>();
        foreach (var example in batch)
        {
            var row = rows.FirstOrDefault(r => r.Sum(e => e.Tokens.Count) + example.Tokens.Count <= capacity);
            if (row is null)
            {
                rows.Add(row = []);
            }

            row.Add(example);
        }

        return rows;
    }

    /// <summary>The loss over every held-out answer token (batches weighted by their tokens), without gradients.</summary>
    private static double ValidationLoss(Llama.LlamaModel model, IReadOnlyList<(List<int> Tokens, int AnswerStart)> held, int batchSize)
    {
        using var noGrad = no_grad();
        double sum = 0;
        long tokens = 0;
        foreach (var batch in held.Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            var (loss, count) = Loss(model, batch, pack: false, gradientScale: null);
            sum += loss * count;
            tokens += count;
        }

        return tokens == 0 ? 0 : sum / tokens;
    }

    /// <summary>A copy of every trained parameter, detached: the best weights so far.</summary>
    private static Dictionary<string, Tensor> Snapshot(TrainableWeights weights)
    {
        using var scope = NewDisposeScope(); // holds each detach()'s view while clone() reads it (see AdamWOptimizer.Step)
        using var noGrad = no_grad();
        return weights.Named.ToDictionary(p => p.Name, p => p.Parameter.detach().clone().DetachFromDisposeScope());
    }

    /// <param name="Value">The dev metric at that step, or the validation loss without a scorer.</param>
    private sealed record Best(int Step, double Value, Dictionary<string, Tensor> Weights);

    /// <summary>What the checkpoint must have been made from: every row's tokens and where its answer starts.</summary>
    private static string DataHash(IEnumerable<(List<int> Tokens, int AnswerStart)> rows)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var (tokens, start) in rows)
        {
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes([start, .. tokens, -1]));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The seeded order of examples: each pass over them reshuffled, batches drawn in turn.</summary>
    private sealed class Batches(int count, int size, int seed)
    {
        private readonly Random random = new(seed);
        private readonly Queue<int> queue = new();

        public List<int> Next()
        {
            var batch = new List<int>(size);
            while (batch.Count < size)
            {
                if (queue.Count == 0)
                {
                    foreach (var i in Enumerable.Range(0, count).OrderBy(_ => random.Next()))
                    {
                        queue.Enqueue(i);
                    }
                }

                batch.Add(queue.Dequeue());
            }

            return batch;
        }
    }

    /// <summary>Linear warm-up to the rate, then cosine decay to a tenth of it at the last step.</summary>
    private static double Rate(TrainingOptions options, int step)
    {
        if (step <= options.WarmupSteps)
        {
            return options.LearningRate * step / Math.Max(1, options.WarmupSteps);
        }

        var progress = (step - options.WarmupSteps) / (double)Math.Max(1, options.Steps - options.WarmupSteps);
        return options.LearningRate * (0.1 + (0.9 * 0.5 * (1 + Math.Cos(Math.PI * progress))));
    }
}
