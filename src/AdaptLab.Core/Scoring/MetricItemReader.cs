using AdaptLab.Core.Items;
using AdaptLab.Core.Store;
using AdaptLab.Metrics;
using AdaptLab.Metrics.Retrieval;
using AdaptLab.Core.Prediction;

namespace AdaptLab.Core.Scoring;

/// <summary>A stored item and its answer as the metrics read them: the output parsed the way the run's task scores it.</summary>
internal sealed class MetricItemReader(RunConfig config)
{
    private static readonly IReadOnlyDictionary<string, FrozenScore> NoneFrozen = new Dictionary<string, FrozenScore>();

    private readonly LabelMatcher? labels = LabelMatcher.For(config);

    /// <summary>The output as the metrics read it.</summary>
    public string Parse(string output) => OutputParser.Parse(config.Kind, output, labels);

    /// <summary>How a classification output matched the label set, or null for other tasks.</summary>
    public LabelMatch? MatchLabel(string output) => labels?.Match(output);

    /// <param name="prediction">A prediction whose call succeeded.</param>
    /// <param name="frozen">The per-item scores stored when the run was scored, which a metric that executes code reads instead of running it again; null when scoring itself.</param>
    public MetricItem Read(DataItem item, PredictionRecord prediction, IReadOnlyDictionary<string, FrozenScore>? frozen)
    {
        // Answer metrics read a grounded answer without its citation markers; citation metrics read the reply.
        var parsed = Parse(prediction.Output!);
        return new MetricItem(RetrievedContext.Chunks(prediction.Context) is null ? parsed : Citations.Strip(parsed), item.Expected)
        {
            Fields = item.Fields,
            Context = prediction.Context,
            Reply = prediction.Output,
            Frozen = frozen ?? NoneFrozen,
        };
    }
}
