using AdaptLab.Core.Items;
using AdaptLab.Core.Store;
using AdaptLab.Core.Tasks;
using Microsoft.Extensions.AI;
using AdaptLab.Core.Prediction;
using AdaptLab.Core.Variants;

namespace AdaptLab.Core.Evaluation;

/// <summary>
/// <c>select: search</c>, in the spirit of DSPy's bootstrapped few-shot: seeded random sets of k train items, each
/// scored with the task's primary metric (<see cref="RunConfig.PrimaryMetric"/>) on the dev split (never the test
/// split), and the best set kept (the first of equals). The chosen ids and every candidate's dev score are frozen into
/// the variant and recorded with the run.
/// </summary>
internal static class ShotSearch
{
    public static async Task<ShotSearchResult> RunAsync(
        TaskDefinition task, VariantSpec spec, IChatClient client, VariantPipelines pipelines, Dataset dev,
        IReadOnlyCollection<(string Id, string Input)> excluded, IReadOnlyList<string>? labels,
        Func<IReadOnlyDictionary<string, string>, IReadOnlySet<string>, IReadOnlyDictionary<string, string>> truncate,
        VariantCallStats calls, IProgress<EvalProgress>? progress, CancellationToken cancellationToken)
    {
        var shots = spec.Shots!;
        var config = RunConfig.From(task, labels);
        var metric = config.CreatePrimaryMetric();
        var predictor = new Predictor(client, spec, config);
        var prompt = ChatPrompt.Load(spec.PromptPath);
        var devItems = dev.Items;
        var pool = pipelines.Pool(excluded);
        var random = new Random(shots.Seed);
        var candidates = Enumerable.Range(0, shots.Candidates)
            .Select(_ => ItemRandom.Choose(random, pool.Items.Count, shots.K).Select(i => pool.Items[i].Id).ToList())
            .ToList();

        var scored = new List<ShotCandidate>();
        var done = 0;
        var label = $"{spec.Name} (search on dev)";
        foreach (var ids in candidates)
        {
            using var pipeline = pipelines.Create(spec with { Shots = shots with { Select = ShotSelection.Fixed, Ids = ids, K = ids.Count } },
                prompt, labels, excluded, truncate, client);
            var answers = new string?[devItems.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, devItems.Count),
                new ParallelOptions { MaxDegreeOfParallelism = task.Concurrency, CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    var prediction = await predictor.PredictAsync(await pipeline.PrepareAsync(devItems[i], ct), devItems[i].Index, ct);
                    // A failed call is not a score: the candidate is judged on the dev items that were answered.
                    answers[i] = predictor.Answer(prediction);
                    calls.Record(prediction);
                    progress?.Report(new EvalProgress(label, Interlocked.Increment(ref done), candidates.Count * devItems.Count, 0));
                });

            var items = devItems.Select((item, i) => (item, answer: answers[i])).Where(p => p.answer is not null)
                .Select(p => new Metrics.MetricItem(p.answer!, p.item.Expected) { Fields = p.item.Fields })
                .ToList();
            var judged = Metrics.MetricScope.Judged(metric, items).Select(i => items[i]).ToList();
            scored.Add(new ShotCandidate(ids, judged.Count == 0 ? double.NaN : metric.Compute(judged).Value, judged.Count));
        }

        var best = scored.Where(c => !double.IsNaN(c.Score))
            .Aggregate((ShotCandidate?)null, (b, c) => b is null || (metric.HigherIsBetter ? c.Score > b.Score : c.Score < b.Score) ? c : b)
            ?? throw new InputException(task.SourcePath, null, $"variants.{spec.Name}.shots",
                "select: search got no answer on the dev split from any candidate set; see the model's errors with a plain eval first");
        return new ShotSearchResult(metric.Name, dev.ContentHash, best.Ids, scored);
    }
}
