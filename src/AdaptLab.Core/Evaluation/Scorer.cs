using AdaptLab.Core.Store;
using AdaptLab.Core.Tasks;
using AdaptLab.Metrics;

namespace AdaptLab.Core.Evaluation;

/// <summary>
/// Scores every variant of a run on the items whose model call succeeded; a failed call is an
/// error of the run, never a zero score.
/// </summary>
public static class Scorer
{
    public static void Score(RunStore store, string runId, TaskDefinition task)
    {
        var items = store.GetItems(runId).ToDictionary(i => i.Index);
        var predictions = store.GetPredictions(runId);
        foreach (var variant in store.GetVariants(runId))
        {
            var succeeded = predictions.Where(p => p.Variant == variant.Name && p.Output is not null).ToList();
            var metricItems = succeeded.Select(p =>
            {
                var item = items[p.ItemIndex];
                return new MetricItem(OutputParser.Parse(task.Kind, p.Output!), item.Expected) { Fields = item.Fields };
            }).ToList();

            var scores = new List<ScoreRecord>();
            var results = new List<MetricResult>();
            foreach (var spec in task.Metrics)
            {
                var metric = MetricCatalog.Create(spec.Name, spec.Options);
                if (metricItems.Count == 0)
                {
                    continue;
                }

                var value = metric.Compute(metricItems);
                if (value.PerItem is { } perItem)
                {
                    for (var i = 0; i < perItem.Count; i++)
                    {
                        scores.Add(new ScoreRecord(variant.Name, spec.Name, succeeded[i].ItemIndex, perItem[i], value.Reasons?[i]));
                    }
                }

                var interval = Intervals.Estimate(metric, metricItems, value);
                results.Add(new MetricResult(variant.Name, spec.Name, value.Value, interval?.Lower, interval?.Upper, interval?.Method, metricItems.Count));
            }

            store.SaveScores(runId, variant.Name, scores, results);
        }
    }
}
