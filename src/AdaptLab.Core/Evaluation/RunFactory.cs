using System.Globalization;
using AdaptLab.Core.Data;
using AdaptLab.Core.Prompts;
using AdaptLab.Core.Store;
using AdaptLab.Core.Tasks;
using AdaptLab.Core.Variants;

namespace AdaptLab.Core.Evaluation;

/// <summary>Freezes a new run: the sampled test items, the prompt versions and model settings.</summary>
internal static class RunFactory
{
    /// <summary>The test items a new run of the task freezes: the split, sampled as the task file says.</summary>
    public static IReadOnlyList<DataItem> Sample(TaskDefinition task) => SampleWithDataset(task).Items;

    private static (Dataset Dataset, IReadOnlyList<DataItem> Items) SampleWithDataset(TaskDefinition task)
    {
        var dataset = DatasetLoader.Load(task.Data.Test, task.Data);
        ItemFieldChecks.Check(task, dataset);
        var items = task.Data.Sample is { } sample
            ? Sampler.Sample(dataset.Items, sample.Size, sample.Seed, sample.Stratify ?? task.Kind == TaskKind.Classification)
            : dataset.Items;
        return (dataset, items);
    }

    /// <param name="frozen">Each variant's steps and identity.</param>
    /// <param name="check">Sees the sampled items before anything is stored (the few-shot pools are checked against them).</param>
    /// <param name="registerAll">Every variant of the task joins the run, not only the frozen ones that run now.</param>
    public static RunInfo Create(
        RunStore store, TaskDefinition task, IReadOnlyList<string>? labels, IReadOnlyDictionary<string, FrozenVariant> frozen,
        Action<IReadOnlyList<DataItem>> check, IReadOnlySet<string>? itemIds, bool registerAll)
    {
        var (dataset, sampled) = SampleWithDataset(task);
        var items = itemIds is null ? sampled : [.. sampled.Where(i => itemIds.Contains(i.Id))];
        if (items.Count == 0)
        {
            throw new InputException(task.SourcePath, null, "data.test", "none of the items to run is in the test split");
        }

        check(items);
        var variants = task.Variants.Where(v => frozen.ContainsKey(v.Name) || registerAll).Select((v, i) =>
        {
            var prompt = ChatPrompt.Load(v.PromptPath);
            prompt.Render(new PromptInput(items[0].Fields, items[0].Structured), labels, v.System, [], shotsAsTurns: false,
                v.Retrieve is null ? null : new Dictionary<string, object?> { ["chunks"] = new List<object>() });
            return new VariantInfo(v.Name, i, prompt.Hash, prompt.Path, prompt.Text, v.System, v.ModelName, v.Model.Reference,
                EvalRunner.ParametersJson(v))
            {
                Pipeline = frozen.GetValueOrDefault(v.Name)?.Pipeline,
                Identity = frozen.GetValueOrDefault(v.Name)?.Identity,
            };
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
