using System.Globalization;
using AdaptLab.Core.Data;
using AdaptLab.Core.Prompts;
using AdaptLab.Core.Store;
using AdaptLab.Core.Tasks;

namespace AdaptLab.Core.Evaluation;

/// <summary>Freezes a new run: the sampled test items, the prompt versions and model settings.</summary>
internal static class RunFactory
{
    public static RunInfo Create(RunStore store, TaskDefinition task, IReadOnlyList<string>? labels)
    {
        var dataset = DatasetLoader.Load(task.Data.Test, task.Data);
        ItemFieldChecks.Check(task, dataset);
        var items = task.Data.Sample is { } sample
            ? Sampler.Sample(dataset.Items, sample.Size, sample.Seed, sample.Stratify ?? task.Kind == TaskKind.Classification)
            : dataset.Items;
        var variants = task.Variants.Select((v, i) =>
        {
            var prompt = PromptTemplate.Load(v.PromptPath);
            prompt.Render(items[0].Fields, labels, items[0].Structured);
            return new VariantInfo(v.Name, i, prompt.Hash, prompt.Path, prompt.Text, v.System, v.ModelName, v.Model.Reference,
                EvalRunner.ParametersJson(v));
        }).ToList();

        var now = DateTimeOffset.UtcNow;
        var run = new RunInfo(
            Id: now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..2]),
            TaskName: task.Name,
            TaskPath: task.SourcePath,
            TaskHash: PromptTemplate.Sha256(File.ReadAllText(task.SourcePath)),
            TaskText: File.ReadAllText(task.SourcePath),
            DatasetPath: dataset.Path,
            DatasetHash: dataset.ContentHash,
            ItemCount: items.Count,
            SampleSeed: task.Data.Sample?.Seed,
            Config: RunConfig.From(task, labels),
            Status: "running",
            StartedAt: now,
            FinishedAt: null);
        store.CreateRun(run, variants, items);
        return run;
    }
}
