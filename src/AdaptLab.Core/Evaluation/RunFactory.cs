using System.Globalization;
using AdaptLab.Core.Items;
using AdaptLab.Core.Prompts;
using AdaptLab.Core.Store;
using AdaptLab.Core.Tasks;
using AdaptLab.Core.Variants;

namespace AdaptLab.Core.Evaluation;

/// <summary>Freezes a new run: the sampled test items, the prompt versions and model settings.</summary>
internal static class RunFactory
{
    /// <summary>The test items a new run of the task freezes: the split, sampled as the task file says.</summary>
    public static IReadOnlyList<DataItem> Sample(TaskDefinition task) => [.. Sampled(task, null)];

    /// <summary>
    /// The test split's items as a run freezes them, read as they are used: every item is checked against the fields
    /// its metrics read, and a sample is drawn in a first pass that keeps only each item's stratum.
    /// </summary>
    /// <param name="everyItem">Sees every item of the split, sampled or not, once the items returned have all been read.</param>
    private static IEnumerable<DataItem> Sampled(TaskDefinition task, Action<DataItem>? everyItem)
    {
        var file = task.Data.Test;
        var checkFields = ItemFieldChecks.For(task);
        var items = DatasetLoader.Read(file, task.Data).Select(item =>
        {
            checkFields(item);
            everyItem?.Invoke(item);
            return item;
        });
        if (task.Data.Sample is not { } sample)
        {
            return items;
        }

        var strata = new List<string>();
        var shared = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var stratum = Sampler.StratumOf(item);
            strata.Add(shared.TryAdd(stratum, stratum) ? stratum : shared[stratum]);
        }

        var chosen = new HashSet<int>(Sampler.Choose(strata, sample.Size, sample.Seed, sample.Stratify ?? task.Kind == TaskKind.Classification));
        var position = 0;
        return DatasetLoader.Read(file, task.Data).Where(_ => chosen.Contains(position++));
    }

    /// <param name="labels">The label set; null where it is the test split's (<see cref="LabelSet.FromTestSplit"/>), gathered
    /// then as the split is read for the run rather than in a pass of its own, and frozen in the run's config.</param>
    /// <param name="frozen">Each variant's steps and identity.</param>
    /// <param name="checkTestItems">Sees the test items before the run is committed (the few-shot pools are checked against them); null where nothing needs them.</param>
    /// <param name="registerAll">Every variant of the task joins the run, not only the frozen ones that run now.</param>
    public static RunInfo Create(
        RunStore store, TaskDefinition task, IReadOnlyList<string>? labels, IReadOnlyDictionary<string, FrozenVariant> frozen,
        Action<IReadOnlyCollection<(string Id, string Input)>>? checkTestItems, IReadOnlySet<string>? itemIds, bool registerAll)
    {
        var seen = labels is null && LabelSet.FromTestSplit(task) ? new LabelSet.Seen() : null;
        var selected = Sampled(task, seen is null ? null : seen.Add);
        selected = itemIds is null ? selected : selected.Where(i => itemIds.Contains(i.Id));
        using var items = selected.GetEnumerator();
        if (!items.MoveNext())
        {
            throw new InputException(task.SourcePath, null, "data.test", "none of the items to run is in the test split");
        }

        var first = items.Current;
        var variants = task.Variants.Where(v => frozen.ContainsKey(v.Name) || registerAll).Select((v, i) =>
        {
            var prompt = ChatPrompt.Load(v.PromptPath);
            // Rendered before anything is stored, so a prompt that cannot render leaves no run behind (labels not gathered yet render as none).
            prompt.Render(new PromptInput(first.Fields, first.Structured), seen is null ? labels : [], v.System, [], shotsAsTurns: false,
                v.Retrieve is null ? null : new Dictionary<string, object?> { ["chunks"] = new List<object>() });
            return new VariantInfo(v.Name, i, prompt.Hash, prompt.Path, prompt.Text, v.System, v.ModelName, v.Model.Reference,
                EvalRunner.ParametersJson(v))
            {
                Pipeline = frozen.GetValueOrDefault(v.Name)?.Pipeline,
                Identity = frozen.GetValueOrDefault(v.Name)?.Identity,
            };
        }).ToList();

        var now = DateTimeOffset.UtcNow;
        var taskText = File.ReadAllText(task.SourcePath);
        var run = new RunInfo(
            Id: now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..2]),
            TaskName: task.Name,
            TaskPath: task.SourcePath,
            TaskHash: PromptTemplate.Sha256(taskText),
            TaskText: taskText,
            DatasetPath: task.Data.Test,
            DatasetHash: DatasetLoader.ContentHash(task.Data.Test),
            ItemCount: 0,
            SampleSeed: task.Data.Sample?.Seed,
            Config: RunConfig.From(task, labels),
            Status: RunStatus.Running,
            StartedAt: now,
            FinishedAt: null);
        var tested = checkTestItems is null ? null : new List<(string Id, string Input)>();
        return store.CreateRun(run, variants, Remaining(first, items, tested).Ahead(256), created =>
        {
            checkTestItems?.Invoke(tested!);
            return seen is null ? created : created with { Config = RunConfig.From(task, seen.Labels) };
        });
    }

    /// <summary>The first item and the rest, each noted in <paramref name="tested"/> where the test items are checked.</summary>
    private static IEnumerable<DataItem> Remaining(DataItem first, IEnumerator<DataItem> rest, List<(string Id, string Input)>? tested)
    {
        tested?.Add((first.Id, first.Input));
        yield return first;
        while (rest.MoveNext())
        {
            tested?.Add((rest.Current.Id, rest.Current.Input));
            yield return rest.Current;
        }
    }
}
