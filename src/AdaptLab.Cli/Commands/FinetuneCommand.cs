using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AdaptLab.Abstractions;
using AdaptLab.Cli.Output;
using AdaptLab.Core.Tasks;
using AdaptLab.Core.Training;
using Spectre.Console;

namespace AdaptLab.Cli.Commands;

/// <summary><c>adaptlab finetune TASK --variant V --out DIR</c>: full or LoRA fine-tuning of the variant's local model on the train split, rendered as the eval renders.</summary>
internal static class FinetuneCommand
{
    public static Command Create(CliContext context, GlobalOptions options)
    {
        var task = new Argument<string>("task") { Description = "Task file (adaptlab.yaml) with data.train" };
        var variant = new Option<string>("--variant") { Description = "The variant whose prompt and local model to train", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for the fine-tuned model and its training.json", Required = true };
        var steps = new Option<int>("--steps") { Description = "Optimizer steps", DefaultValueFactory = _ => 60 };
        var batch = new Option<int>("--batch") { Description = "Examples per step", DefaultValueFactory = _ => 16 };
        var rate = new Option<double>("--lr") { Description = "Peak learning rate (AdamW; warm-up, then cosine decay)", DefaultValueFactory = _ => 1e-3 };
        var seed = new Option<int>("--seed") { Description = "Seeds initial order and sampling: same seed, same weights", DefaultValueFactory = _ => 0 };
        var every = new Option<int>("--checkpoint-every") { Description = "Steps between checkpoints a killed run resumes from", DefaultValueFactory = _ => 20 };
        var resume = new Option<bool>("--resume") { Description = "Continue from the last checkpoint in --out (same settings and data)" };
        var accumulate = new Option<int>("--accumulate") { Description = "Batches per optimizer step (gradient accumulation)", DefaultValueFactory = _ => 1 };
        var evaluateEvery = new Option<int>("--eval-every") { Description = "Steps between dev-split checks (with data.dev): the task's primary metric by generation, and the loss; the best weights are kept", DefaultValueFactory = _ => 10 };
        var patience = new Option<int>("--patience") { Description = "Stop after this many dev checks without improvement (0: never)", DefaultValueFactory = _ => 0 };
        var bf16 = new Option<bool>("--bf16") { Description = "Train in bfloat16 (weights, activations, optimizer state; the loss in float32): half the memory, faster on CPUs with bf16 units" };
        var pack = new Option<bool>("--pack") { Description = "Pack each batch's examples into as few rows as hold them (masked so each sees only itself): less padding" };
        var selectBy = new Option<string>("--select-by") { Description = "What picks the dev step kept: metric (the task's primary: the first with a target, else the first; by generation) or loss", DefaultValueFactory = _ => "metric" };
        selectBy.AcceptOnlyFromAmong("metric", "loss");
        var loraRank = new Option<int>("--lora-rank") { Description = "Train LoRA adapters of this rank instead of every weight (0: full fine-tuning)", DefaultValueFactory = _ => 0 };
        var loraAlpha = new Option<double?>("--lora-alpha") { Description = "LoRA alpha: adapters scale by alpha / rank (default: twice the rank)" };
        var loraDropout = new Option<double>("--lora-dropout") { Description = "Dropout on the adapters' inputs while training", DefaultValueFactory = _ => 0.0 };
        var loraTargets = new Option<string>("--lora-target") { Description = "Projections that get adapters, comma-separated", DefaultValueFactory = _ => string.Join(',', LoraOptions.AllProjections) };
        var modulesToSave = new Option<string>("--modules-to-save") { Description = "Modules trained whole beside the adapters: embed_tokens, lm_head (PEFT's modules_to_save)", DefaultValueFactory = _ => string.Empty };
        var command = new Command("finetune", "Fine-tune a variant's local model on the train split (every weight, or LoRA with --lora-rank; loss on answer tokens)")
        {
            task, variant, output, steps, batch, rate, seed, every, resume, accumulate, evaluateEvery, patience, selectBy, pack, bf16,
            loraRank, loraAlpha, loraDropout, loraTargets, modulesToSave,
        };
        command.SetAction(async (parse, ct) =>
        {
            var definition = TaskFileLoader.Load(parse.GetValue(task)!);
            var spec = definition.Variant(parse.GetValue(variant)!);

            if (new[] { steps, batch, every, accumulate, evaluateEvery }.Any(o => parse.GetValue(o) < 1) || parse.GetValue(rate) <= 0 || parse.GetValue(patience) < 0)
            {
                return CliApp.Fail(context, ExitCodes.BadInput, "--steps, --batch, --checkpoint-every, --accumulate and --eval-every must be at least 1, --lr above 0, --patience 0 or more");
            }

            LoraOptions? lora = null;
            if (parse.GetValue(loraRank) is > 0 and var rank)
            {
                static string[] List(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                lora = new LoraOptions(rank, parse.GetValue(loraAlpha) ?? 2.0 * rank, parse.GetValue(loraDropout),
                    List(parse.GetValue(loraTargets)!), List(parse.GetValue(modulesToSave)!));
                try
                {
                    lora.Validate();
                }
                catch (ArgumentException e)
                {
                    return CliApp.Fail(context, ExitCodes.BadInput, $"--lora-*: {e.Message}");
                }
            }
            else if (parse.GetValue(loraRank) < 0)
            {
                return CliApp.Fail(context, ExitCodes.BadInput, "--lora-rank must be 0 (full fine-tuning) or more");
            }

            var training = new TrainingOptions(parse.GetValue(steps), parse.GetValue(batch), parse.GetValue(rate), Seed: parse.GetValue(seed),
                WarmupSteps: Math.Max(1, parse.GetValue(steps) / 10), CheckpointEvery: parse.GetValue(every), Accumulate: parse.GetValue(accumulate),
                EvaluateEvery: parse.GetValue(evaluateEvery), Patience: parse.GetValue(patience), Lora: lora, Pack: parse.GetValue(pack), Bf16: parse.GetValue(bf16));
            var resuming = parse.GetValue(resume);
            var folder = parse.GetValue(output)!;
            TrainingRecord record;
            using var store = StoreAccess.Open(parse, options);
            if (context.Interactive && !parse.GetValue(options.Json))
            {
                TrainingRecord? done = null;
                await context.Out.Progress()
                    .AutoClear(true)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .StartAsync(async progress =>
                    {
                        var bar = progress.AddTask("training", maxValue: training.Steps);
                        var reporter = new Reporter(p =>
                        {
                            bar.Value = p.Step;
                            bar.Description = string.Create(CultureInfo.InvariantCulture, $"training: loss {p.Loss:F3}, {p.TokensPerSecond:F0} tokens/s");
                        });
                        done = await FinetuneRunner.RunAsync(definition, spec, folder, training, context.Providers, reporter, ct, resuming, store, parse.GetValue(selectBy) == "loss");
                    });
                record = done!;
            }
            else
            {
                record = await FinetuneRunner.RunAsync(definition, spec, folder, training, context.Providers, null, ct, resuming, store, parse.GetValue(selectBy) == "loss");
            }

            if (parse.GetValue(options.Json))
            {
                context.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(record, JsonOutput.Compact));
            }
            else
            {
                var kept = record.Validation.FirstOrDefault(v => v.Step == record.BestStep);
                var dev = kept is null ? string.Empty
                    : kept.Metric is { } metric ? string.Create(CultureInfo.InvariantCulture, $"; dev {record.DevMetric} {metric:0.###} (loss {kept.Loss:F3}) at step {record.BestStep} (kept)")
                    : string.Create(CultureInfo.InvariantCulture, $"; dev loss {kept.Loss:F3} at step {record.BestStep} (kept)");
                context.Out.MarkupLineInterpolated(
                    $"[green]ok[/] {record.Examples} examples, {record.Losses.Count} steps in {record.Seconds:F1} s: loss {record.Losses[0]:F3} → {record.Losses[^1]:F3}{dev}; data {record.Readiness}");
                context.Out.MarkupLineInterpolated($"use it as [bold]local:{Path.GetFullPath(folder)}[/] (its record: {Path.Combine(folder, FinetuneRunner.RecordFile)})");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Reports on the training thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Reporter(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
