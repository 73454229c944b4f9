using AdaptLab.Abstractions;
using AdaptLab.Core.Items;
using AdaptLab.Core.Models.Pipeline;
using AdaptLab.Core.Prediction;
using AdaptLab.Core.Store;
using AdaptLab.Core.Tasks;
using AdaptLab.Core.Variants;
using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Training;

/// <summary>
/// The task's primary metric (<see cref="RunConfig.PrimaryMetric"/>) on the dev split during training: each dev item
/// prepared once through the variant's pipeline (as the eval prepares test items), predicted by the model in training
/// as the eval predicts (<see cref="Predictor"/>: the variant's decoding settings, the reply parsed as the eval's scorer
/// reads it), the items scored together.
/// </summary>
internal sealed class DevScorer(List<(DataItem Item, PreparedCall Call)> prepared, RunConfig config, VariantSpec variant) : IDevScorer
{
    private readonly Metrics.IMetric metric = config.CreatePrimaryMetric();

    public string Metric => metric.Name;

    public bool HigherIsBetter => metric.HigherIsBetter;

    /// <param name="client">The variant's model before training, where the task truncates fields to its tokens.</param>
    public static async Task<DevScorer> CreateAsync(
        TaskDefinition task, VariantSpec variant, Dataset dev, Models.ModelProviders providers, IChatClient client, CancellationToken cancellationToken) =>
        new(await RenderedExamples.PrepareAsync(task, variant, dev, providers, client, cancellationToken), RunConfig.From(task, LabelSet.Resolve(task)), variant);

    /// <remarks>Runs on the trainer's thread, which waits for it: the model is not training meanwhile.</remarks>
    /// <exception cref="InvalidOperationException">A dev call failed: a score without it would not be the weights' own.</exception>
    public double Score(IChatClient model, CancellationToken cancellationToken)
    {
        // In process, so the pipeline adds only the call recorder and the attempt timer; no cache (so no identity), as
        // the weights change between scores. Not disposed: that would dispose the trainer's model.
        var client = ModelPipeline.Build(model, new ModelPipelineOptions(Identity: string.Empty));
        var predictor = new Predictor(client, variant, config);
        var items = new List<Metrics.MetricItem>();
        foreach (var (item, call) in prepared)
        {
            var prediction = predictor.PredictAsync(call, item.Index, cancellationToken).GetAwaiter().GetResult();
            var answer = predictor.Answer(prediction)
                ?? throw new InvalidOperationException($"the model in training failed on dev item {item.Id}: {prediction.Error}");
            items.Add(new Metrics.MetricItem(answer, item.Expected) { Fields = item.Fields });
        }

        var judged = Metrics.MetricScope.Judged(metric, items).Select(i => items[i]).ToList();
        // Nothing to judge (a validity metric and no call made) is the worst score, so such weights are never the ones kept.
        return judged.Count == 0 ? 0 : metric.Compute(judged).Value;
    }
}
