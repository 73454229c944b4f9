using AdaptLab.Core.Tasks;
using AdaptLab.Metrics;

namespace AdaptLab.Core.Store;

/// <summary>
/// The parts of the task file that decide how a run is scored and gated, frozen with the run so
/// reports and comparisons never depend on the task file as it is today.
/// </summary>
public sealed record RunConfig(
    TaskKind Kind,
    IReadOnlyList<RunMetric> Metrics,
    IReadOnlyDictionary<string, double> MetricTargets,
    double? MaxErrorRate,
    double? P95LatencyMs,
    double? MaxCostPer1k)
{
    public static RunConfig From(TaskDefinition task) => new(
        task.Kind,
        task.Metrics.Select(m => new RunMetric(m.Name, m.Options.Values)).ToList(),
        task.Targets.Metrics,
        task.Targets.MaxErrorRate,
        task.Targets.P95LatencyMs,
        task.Targets.MaxCostPer1k);

    public IEnumerable<IMetric> CreateMetrics() => Metrics.Select(m => MetricCatalog.Create(m.Name, new MetricOptions(m.Options)));
}

public sealed record RunMetric(string Name, IReadOnlyDictionary<string, string> Options);
