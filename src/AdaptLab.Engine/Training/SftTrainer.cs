using System.Diagnostics;
using AdaptLab.Abstractions;
using AdaptLab.Engine.LlamaC;
using TorchSharp;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Training;

/// <summary>
/// Full supervised fine-tuning of a llama2.c checkpoint: each example is the prompt the eval would send, encoded as
/// the eval encodes it, followed by the answer and end-of-sequence; cross-entropy on the answer's tokens only; rows
/// right-padded (causal attention never looks ahead, so padding needs no mask). Seeded: the same seed and data give
/// the same weights.
/// </summary>
internal static class SftTrainer
{
    private const long Ignore = -100;

    public static TrainingResult FineTune(
        string baseModel, IReadOnlyList<TrainingExample> examples, string outputFolder, TrainingOptions options,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        if (examples.Count == 0)
        {
            throw new ArgumentException("no training examples", nameof(examples));
        }

        var (checkpoint, tokenizerPath) = LocalModel.LocateLlamaC(baseModel);
        using var client = LocalModel.Open(baseModel);
        var model = client.Generator.Model;
        var rows = examples.Select(e => client.EncodeForTraining(e.Prompt, e.Answer)).ToList();
        var longest = rows.Max(r => r.Tokens.Count);
        if (longest > model.Config.MaxSeqLen)
        {
            throw new ArgumentException($"an example is {longest} tokens long, over the model's context of {model.Config.MaxSeqLen}");
        }

        torch.manual_seed(options.Seed);
        var order = new Random(options.Seed);
        var queue = new Queue<int>();
        model.train();
        using var optimizer = optim.AdamW(model.parameters(), options.LearningRate, weight_decay: options.WeightDecay);
        var losses = new List<double>();
        var clock = Stopwatch.StartNew();
        long trained = 0;
        for (var step = 1; step <= options.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = new List<(List<int> Tokens, int AnswerStart)>();
            while (batch.Count < Math.Min(options.BatchSize, rows.Count))
            {
                if (queue.Count == 0)
                {
                    foreach (var i in Enumerable.Range(0, rows.Count).OrderBy(_ => order.Next()))
                    {
                        queue.Enqueue(i);
                    }
                }

                batch.Add(rows[queue.Dequeue()]);
            }

            var rate = Rate(options, step);
            foreach (var group in optimizer.ParamGroups)
            {
                group.LearningRate = rate;
            }

            using var scope = NewDisposeScope();
            var length = batch.Max(b => b.Tokens.Count);
            var inputs = new long[batch.Count * (length - 1)];
            var targets = new long[batch.Count * (length - 1)];
            Array.Fill(targets, Ignore);
            for (var r = 0; r < batch.Count; r++)
            {
                var (tokens, answerStart) = batch[r];
                for (var t = 0; t + 1 < length; t++)
                {
                    inputs[(r * (length - 1)) + t] = t < tokens.Count ? tokens[t] : 0;
                    if (t + 1 < tokens.Count && t + 1 >= answerStart)
                    {
                        targets[(r * (length - 1)) + t] = tokens[t + 1];
                        trained++;
                    }
                }
            }

            var logits = model.forward(tensor(inputs, [batch.Count, length - 1]), null);
            var loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), tensor(targets), ignore_index: Ignore);
            optimizer.zero_grad();
            loss.backward();
            nn.utils.clip_grad_norm_(model.parameters(), options.MaxGradNorm);
            optimizer.step();
            losses.Add(loss.item<float>());
            progress?.Report(new TrainingProgress(step, options.Steps, losses[^1], rate, trained / clock.Elapsed.TotalSeconds));
        }

        model.eval();
        Directory.CreateDirectory(outputFolder);
        var saved = Path.Combine(outputFolder, Path.GetFileName(checkpoint));
        LlamaCCheckpoint.Save(model, saved);
        File.Copy(tokenizerPath, Path.Combine(outputFolder, Path.GetFileName(tokenizerPath)), overwrite: true);
        var template = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(checkpoint))!, "tokenizer_config.json");
        if (File.Exists(template))
        {
            File.Copy(template, Path.Combine(outputFolder, "tokenizer_config.json"), overwrite: true);
        }

        return new TrainingResult(saved, losses, clock.Elapsed.TotalSeconds, trained);
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
