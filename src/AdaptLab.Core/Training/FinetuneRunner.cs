using System.Text.Json;
using AdaptLab.Abstractions;
using AdaptLab.Core.Items;
using AdaptLab.Core.Models;
using AdaptLab.Core.Readiness;
using AdaptLab.Core.Store;
using AdaptLab.Core.Tasks;
using AdaptLab.Core.Variants;

namespace AdaptLab.Core.Training;

/// <summary>
/// <c>adaptlab finetune</c>: the train split rendered through a variant's own pipeline (its prompt, system text and
/// context steps, as the eval renders test items), trained on the variant's local model, written with a training
/// record (<c>training.json</c>) beside the weights. With a dev split, the task's primary metric on it by generation (and its
/// loss) every few steps picks the weights kept and can stop training early.
/// </summary>
internal static class FinetuneRunner
{
    public const string RecordFile = "training.json";

    /// <summary>The train split as trained on, beside the weights: each item's messages, answer and what its context steps put in.</summary>
    public const string DataFile = "train.jsonl";

    /// <param name="selectByLoss">Keep the weights of the lowest dev loss rather than of the best dev metric (which needs generation).</param>
    /// <param name="store">Where the model's card goes too, beside training.json, so its runs can be traced to how it was made.</param>
    /// <exception cref="InputException">The task has no train split, the variant's model is not local, or the engine cannot train it.</exception>
    public static async Task<TrainingRecord> RunAsync(
        TaskDefinition task, VariantSpec variant, string outputFolder, TrainingOptions options, ModelProviders providers,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken, bool resume = false, RunStore? store = null, bool selectByLoss = false)
    {
        var reference = ModelReference.Parse(variant.Model.Reference);
        if (task.Data.Train is null)
        {
            throw new InputException(task.SourcePath, null, "data.train", "fine-tuning trains on data.train, and this task has none");
        }

        if (reference.Provider != "local")
        {
            throw new InputException(task.SourcePath, null, $"variants.{variant.Name}.model",
                $"'{variant.Model.Reference}' is not a local model: the in-process trainer fine-tunes local: models (export for provider jobs comes later)");
        }

        var train = DatasetLoader.Load(task.Data.Train, task.Data);
        var readiness = ReadinessCheck.Run(task);
        List<TrainingExample> examples;
        List<TrainingExample> validation = [];
        Dataset? devData = null;
        DevScorer? scorer = null;
        string baseIdentity;
        string dataHash;
        using (var client = providers.Create(variant.Model))
        {
            baseIdentity = VariantIdentity.Model(variant.Model, client);
            var rendered = await RenderedExamples.PrepareAsync(task, variant, train, providers, client, cancellationToken);
            examples = [.. rendered.Select(e => new TrainingExample(e.Call.Messages, e.Item.Expected[0]))];
            dataHash = await RenderedExamples.WriteAsync(Path.Combine(outputFolder, DataFile), rendered, cancellationToken);
            if (task.Data.Dev is { } dev)
            {
                devData = DatasetLoader.Load(dev, task.Data);
                validation = [.. (await RenderedExamples.RenderAsync(task, variant, devData, providers, client, cancellationToken))
                    .Select(e => new TrainingExample(e.Prompt, e.Answer))];
                scorer = selectByLoss ? null : await DevScorer.CreateAsync(task, variant, devData, providers, client, cancellationToken);
            }
        }

        ILocalTrainer trainer;
        try
        {
            trainer = (providers.Trainer ?? throw new InvalidOperationException("this build has no trainer"))();
        }
        catch (InvalidOperationException e)
        {
            throw new InputException(task.SourcePath, null, $"variants.{variant.Name}.model", e.Message);
        }

        TrainingResult result;
        try
        {
            result = await Task.Run(() => trainer.FineTune(reference.Name, examples, outputFolder, options, progress, cancellationToken, resume, validation, scorer), cancellationToken);
        }
        catch (ArgumentException e)
        {
            throw new InputException(task.SourcePath, null, resume ? "--resume" : $"variants.{variant.Name}", e.Message);
        }


        string trainedIdentity;
        using (var trained = providers.Create(variant.Model with { Reference = "local:" + Path.GetFullPath(outputFolder) }))
        {
            trainedIdentity = VariantIdentity.Model(variant.Model, trained);
        }

        var record = new TrainingRecord(
            BaseModel: reference.Name, BaseIdentity: baseIdentity, Model: Path.GetFullPath(result.ModelPath), Identity: trainedIdentity,
            Task: task.SourcePath, Variant: variant.Name, Train: train.Path, TrainHash: train.ContentHash, DataHash: dataHash, Examples: examples.Count,
            Dev: devData?.Path, DevHash: devData?.ContentHash, DevMetric: scorer?.Metric, Method: options.Lora is null ? "full" : "lora",
            Readiness: ReadinessText.Verdict(readiness.Verdict), Options: options, Losses: result.Losses, Validation: result.Validation,
            BestStep: result.BestStep, Seconds: result.Seconds, Tokens: result.Tokens, FinishedAt: DateTimeOffset.UtcNow);
        var json = JsonSerializer.Serialize(record, RecordJson);
        await File.WriteAllTextAsync(Path.Combine(outputFolder, RecordFile), json, cancellationToken);
        store?.SaveTrainedModel(new TrainedModelInfo(
            trainedIdentity, baseIdentity, Path.GetFullPath(outputFolder), task.SourcePath, variant.Name, json, record.FinishedAt));
        return record;
    }

    private static readonly JsonSerializerOptions RecordJson = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}

/// <summary>
/// What <c>training.json</c> beside a fine-tuned model (and its row in the store) says: where it came from, on what data,
/// how (full or LoRA, every setting and the seed), with what loss curve, in how long.
/// </summary>
/// <param name="DataHash">SHA-256 of <see cref="FinetuneRunner.DataFile"/>: the prompts as rendered, retrieved chunks included (null in records written before it was kept).</param>
internal sealed record TrainingRecord(
    string BaseModel,
    string BaseIdentity,
    string Model,
    string Identity,
    string Task,
    string Variant,
    string Train,
    string TrainHash,
    string? DataHash,
    int Examples,
    string? Dev,
    string? DevHash,
    string? DevMetric,
    string Method,
    string Readiness,
    TrainingOptions Options,
    IReadOnlyList<double> Losses,
    IReadOnlyList<ValidationPoint> Validation,
    int BestStep,
    double Seconds,
    long Tokens,
    DateTimeOffset FinishedAt);
