using AdaptLab.Abstractions;
using AdaptLab.Core.Items;
using AdaptLab.Core.Evaluation;
using AdaptLab.Core.Store;
using AdaptLab.Core.Tasks;
using AdaptLab.Core.Variants;
using Microsoft.Extensions.AI;
using AdaptLab.Core.Prediction;

namespace AdaptLab.Core.Training;

/// <summary>
/// The task's first metric on the dev split during training: each dev item prepared once through the variant's pipeline
/// (as the eval prepares test items), answered by the model in training with the variant's decoding settings, its reply
/// parsed as the eval parses it, the items scored together.
/// </summary>
internal sealed class DevScorer(List<(DataItem Item, PreparedCall Call)> prepared, RunConfig config, TaskKind kind, ChatOptions options) : IDevScorer
{
    private readonly Metrics.IMetric metric = config.CreateMetrics().First();
    private readonly LabelMatcher? matcher = LabelMatcher.For(config);

    public string Metric => metric.Name;

    public bool HigherIsBetter => metric.HigherIsBetter;

    /// <param name="client">The variant's model before training, where the task truncates fields to its tokens.</param>
    public static async Task<DevScorer> CreateAsync(
        TaskDefinition task, VariantSpec variant, Dataset dev, Models.ModelProviders providers, IChatClient client, CancellationToken cancellationToken) =>
        new(await RenderedExamples.PrepareAsync(task, variant, dev, providers, client, cancellationToken), RunConfig.From(task, LabelSet.Resolve(task)),
            task.Kind, EvalRunner.ChatOptionsFor(variant));

    /// <remarks>Runs on the trainer's thread, which waits for it: the model is not training meanwhile.</remarks>
    public double Score(IChatClient model, CancellationToken cancellationToken)
    {
        var items = new List<Metrics.MetricItem>();
        foreach (var (item, call) in prepared)
        {
            var response = model.GetResponseAsync(call.Messages, call.Options(options), cancellationToken).GetAwaiter().GetResult();
            items.Add(new Metrics.MetricItem(OutputParser.Parse(kind, call.Output(response), matcher), item.Expected) { Fields = item.Fields });
        }

        var judged = Metrics.MetricScope.Judged(metric, items).Select(i => items[i]).ToList();
        // Nothing to judge (a validity metric and no call made) is the worst score, so such weights are never the ones kept.
        return judged.Count == 0 ? 0 : metric.Compute(judged).Value;
    }
}
