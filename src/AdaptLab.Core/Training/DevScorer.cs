using AdaptLab.Abstractions;
using AdaptLab.Core.Data;
using AdaptLab.Core.Evaluation;
using AdaptLab.Core.Prompts;
using AdaptLab.Core.Store;
using AdaptLab.Core.Tasks;
using AdaptLab.Core.Variants;
using Microsoft.Extensions.AI;

namespace AdaptLab.Core.Training;

/// <summary>
/// The task's first metric on the dev split during training: each dev item prepared once through the variant's pipeline
/// (as the eval prepares test items), answered by the model in training with the variant's decoding settings, its reply
/// parsed as the eval parses it, the items scored together.
/// </summary>
internal sealed class DevScorer : IDevScorer, IDisposable
{
    private readonly VariantPipelines pipelines;
    private readonly VariantPipeline pipeline;
    private readonly List<(Data.DataItem Item, PreparedCall Call)> prepared;
    private readonly Metrics.IMetric metric;
    private readonly LabelMatcher? matcher;
    private readonly TaskKind kind;
    private readonly ChatOptions options;

    private DevScorer(
        VariantPipelines pipelines, VariantPipeline pipeline, List<(Data.DataItem, PreparedCall)> prepared, RunConfig config, TaskKind kind, ChatOptions options)
    {
        (this.pipelines, this.pipeline, this.prepared, this.kind, this.options) = (pipelines, pipeline, prepared, kind, options);
        metric = config.CreateMetrics().First();
        matcher = config.CreateLabelMatcher();
    }

    public string Metric => metric.Name;

    public bool HigherIsBetter => metric.HigherIsBetter;

    /// <param name="client">The variant's model before training, where the task truncates fields to its tokens.</param>
    public static async Task<DevScorer> CreateAsync(
        TaskDefinition task, VariantSpec variant, Dataset dev, Models.ModelProviders providers, IChatClient client, CancellationToken cancellationToken)
    {
        var labels = LabelSet.Resolve(task);
        var pipelines = VariantPipelines.Open(task, providers, [variant]);
        try
        {
            // The dev items are the pipeline's items here: none of them may be its own few-shot example.
            var pipeline = pipelines.Create(variant, ChatPrompt.Load(variant.PromptPath), labels, [.. dev.Items.Select(i => (i.Id, i.Input))],
                FieldTruncation.For(task.Data.Truncate, client, task.SourcePath, variant.Name));
            var prepared = new List<(Data.DataItem, PreparedCall)>();
            foreach (var item in dev.Items.Where(i => i.Expected.Count > 0))
            {
                var info = new ItemInfo(item.Index, item.Id, item.Input, item.Expected, item.Fields, item.Location) { Structured = item.Structured };
                prepared.Add((item, await pipeline.PrepareAsync(info, cancellationToken)));
            }

            return new DevScorer(pipelines, pipeline, prepared, RunConfig.From(task, labels), task.Kind, EvalRunner.ChatOptionsFor(variant));
        }
        catch
        {
            pipelines.Dispose();
            throw;
        }
    }

    /// <remarks>Runs on the trainer's thread, which waits for it: the model is not training meanwhile.</remarks>
    public double Score(IChatClient model, CancellationToken cancellationToken)
    {
        var items = new List<Metrics.MetricItem>();
        foreach (var (item, call) in prepared)
        {
            var response = model.GetResponseAsync(call.Messages, options.Clone(), cancellationToken).GetAwaiter().GetResult();
            var output = call.Tools?.Output(response) ?? response.Text;
            items.Add(new Metrics.MetricItem(OutputParser.Parse(kind, output, matcher), item.Expected) { Fields = item.Fields });
        }

        return metric.Compute(items).Value;
    }

    public void Dispose()
    {
        pipeline.Dispose();
        pipelines.Dispose();
    }
}
