using AdaptLab.Core.Tasks;
using AdaptLab.Metrics;

namespace AdaptLab.Core.Store;

/// <summary>
/// The parts of the task file that decide how a run is scored and gated, frozen with the run so
/// reports and comparisons never depend on the task file as it is today.
/// </summary>
internal sealed record RunConfig(
    TaskKind Kind,
    IReadOnlyList<RunMetric> Metrics,
    IReadOnlyDictionary<string, double> MetricTargets,
    double? MaxErrorRate,
    double? P95LatencyMs,
    double? MaxCostPer1k,
    IReadOnlyList<string>? Labels = null,
    bool TargetsOnInterval = false)
{
    /// <param name="labels">The closed label set of a classification task (declared, else seen in the data).</param>
    public static RunConfig From(TaskDefinition task, IReadOnlyList<string>? labels) => new(
        task.Kind,
        task.Metrics.Select(m => new RunMetric(m.Name, m.Options.Values)).ToList(),
        task.Targets.Metrics,
        task.Targets.MaxErrorRate,
        task.Targets.P95LatencyMs,
        task.Targets.MaxCostPer1k,
        task.Kind == TaskKind.Classification ? labels : null,
        task.Targets.OnInterval);

    /// <summary>A perfect score of the metric the run's scores name <paramref name="metric"/> (an alias or a catalog name).</summary>
    public double FullScale(string metric) => MetricCatalog.FullScale(Metrics.FirstOrDefault(m => m.Key == metric)?.Name ?? metric);

    /// <summary>
    /// The metric one number of the task is judged on, wherever one must decide: the ladder's rungs, the few-shot
    /// search's candidates, the dev score that picks fine-tuned weights, refine's failing items. It is the first listed
    /// metric with a target, since the targets say what the task must reach, else the first listed.
    /// </summary>
    /// <remarks>A method, not a property: the config is stored as JSON, and this is derived from it.</remarks>
    public RunMetric PrimaryMetric() => Metrics.FirstOrDefault(m => MetricTargets.ContainsKey(m.Key)) ?? Metrics[0];

    public IMetric CreatePrimaryMetric() => Create(PrimaryMetric());

    public IEnumerable<IMetric> CreateMetrics() => Metrics.Select(Create);

    private IMetric Create(RunMetric metric) => MetricCatalog.Create(metric.Name, new MetricOptions(metric.Options), new MetricContext(Labels));
}

internal sealed record RunMetric(string Name, IReadOnlyDictionary<string, string> Options)
{
    /// <summary>The name the run's scores know the metric by: its alias (<c>as:</c>), else its name.</summary>
    public string Key => Options.GetValueOrDefault(MetricCatalog.AliasOption) ?? Name;
}
