using AdaptLab.Core.Evaluation;
using AdaptLab.Core.Evidence;

namespace AdaptLab;

/// <summary>
/// One stored run of a task, as <c>adaptlab show RUN</c> reports it: per variant its metrics with 95% intervals, the task's
/// gates, and each variant's paired comparison with the baseline. Every value is read from the run's report, and every metric
/// value is on the metric's stored scale (the task file's targets' scale, <see cref="EvalMetric.FullScale"/>).
/// </summary>
public sealed record EvalRun
{
    /// <summary>The run's id in the store, for the CLI (<c>adaptlab show</c>, <c>report</c>, <c>compare</c>, <c>label set</c>).</summary>
    public required string RunId { get; init; }

    /// <summary>The task's name.</summary>
    public required string TaskName { get; init; }

    /// <summary>The full path of the store the run is in.</summary>
    public required string StorePath { get; init; }

    /// <summary>
    /// Every item answered, or the failed calls within the task's <c>max_error_rate</c>. An incomplete run (the CLI exits 3 on
    /// it) has failed calls its targets do not accept: see <see cref="EvalVariant.Errors"/> and <see cref="EvalVariant.FirstError"/>.
    /// </summary>
    public required bool IsCompleted { get; init; }

    /// <summary>Per variant name, in the task file's order; the first is the baseline of <see cref="Comparisons"/>.</summary>
    public required IReadOnlyDictionary<string, EvalVariant> Variants { get; init; }

    /// <summary>Each variant's targets from the task file (<c>targets</c>), in the report's order: per variant, metrics then the others.</summary>
    public required IReadOnlyList<EvalGate> Gates { get; init; }

    /// <summary>Every gate passed (true without targets); as <c>adaptlab eval</c>'s exit code 1 when false.</summary>
    public required bool AllGatesPassed { get; init; }

    /// <summary>Each later variant against the first, per metric, on the items both answered; empty with one variant.</summary>
    public required IReadOnlyList<EvalComparison> Comparisons { get; init; }

    internal static EvalRun From(RunReport report, EvalOutcome outcome, string storePath) => new()
    {
        RunId = report.Run.Id,
        TaskName = report.Run.TaskName,
        StorePath = storePath,
        IsCompleted = report.Run.IsCompleted,
        Variants = new OrderedDictionary<string, EvalVariant>(report.Variants.Select(v => KeyValuePair.Create(v.Name, new EvalVariant
        {
            Name = v.Name,
            Model = v.ModelRef,
            Items = v.Items,
            Answered = v.Predicted,
            Errors = v.Errors,
            FirstError = outcome.Variants.FirstOrDefault(s => s.Variant == v.Name)?.FirstError,
            Metrics = new OrderedDictionary<string, EvalMetric>(v.Metrics.Select(m => KeyValuePair.Create(m.Metric, new EvalMetric
            {
                Name = m.Metric,
                Value = m.Value,
                Lower = m.Lower,
                Upper = m.Upper,
                N = m.N,
                FullScale = report.FullScales.GetValueOrDefault(m.Metric, 1),
            })), StringComparer.Ordinal),
        })), StringComparer.Ordinal),
        Gates = [.. report.Gates.Select(g => new EvalGate
        {
            Variant = g.Variant,
            Name = g.Name,
            Target = g.Target,
            AtMost = g.AtMost,
            Actual = g.Actual,
            Passed = g.Passed,
        })],
        AllGatesPassed = report.AllGatesPassed,
        Comparisons = [.. report.Comparisons.Select(c => new EvalComparison
        {
            Baseline = c.Baseline,
            Variant = c.Variant,
            Metric = c.Metric,
            Difference = c.Difference,
            Lower = c.Lower,
            Upper = c.Upper,
            PValue = c.PValue,
            AdjustedPValue = c.AdjustedPValue,
            Significant = c.Significant,
            N = c.N,
        })],
    };
}

/// <summary>One variant of a run: its model, how many items it answered, and its metrics.</summary>
public sealed record EvalVariant
{
    /// <summary>The variant's name in the task file.</summary>
    public required string Name { get; init; }

    /// <summary>The model reference the task file gives it (e.g. <c>openai:gpt-4o-mini</c>), also when a supplied client answered.</summary>
    public required string Model { get; init; }

    /// <summary>The run's test items (after sampling): every variant is asked the same ones.</summary>
    public required int Items { get; init; }

    /// <summary>Items the model answered; only these are scored.</summary>
    public required int Answered { get; init; }

    /// <summary>Items whose model call failed (after retries); never scored, and counted by the <c>error_rate</c> gate.</summary>
    public required int Errors { get; init; }

    /// <summary>The first failed call's error in this run, or null.</summary>
    public string? FirstError { get; init; }

    /// <summary>Per metric name (a metric's <c>as:</c> alias where it has one), in the task file's order; a metric no item was scored on is absent.</summary>
    public required IReadOnlyDictionary<string, EvalMetric> Metrics { get; init; }
}

/// <summary>
/// A metric's value for one variant with its 95% interval, on the metric's stored scale: the scale the task file's targets
/// use and <see cref="EvalGate.Actual"/> reports (a proportion such as accuracy or F1 in 0-1; BLEU, chrF and TER 0-100 as
/// sacrebleu). The CLI's reports show every metric on 0-100: <c>Value * 100 / FullScale</c>.
/// </summary>
public sealed record EvalMetric
{
    /// <summary>The metric's name (its <c>as:</c> alias where it has one).</summary>
    public required string Name { get; init; }

    /// <summary>The estimate over the scored items.</summary>
    public required double Value { get; init; }

    /// <summary>The lower end of the 95% interval (Wilson for proportions, else bootstrap); null where none was computed.</summary>
    public double? Lower { get; init; }

    /// <summary>The upper end of the 95% interval; null where none was computed.</summary>
    public double? Upper { get; init; }

    /// <summary>The items scored: those the model answered.</summary>
    public required int N { get; init; }

    /// <summary>The value of a perfect score on this metric's scale: 1 for proportions, 100 for BLEU, chrF and TER.</summary>
    public required double FullScale { get; init; }
}

/// <summary>One target of the task file for one variant, and whether the run met it.</summary>
public sealed record EvalGate
{
    /// <summary>The variant judged.</summary>
    public required string Variant { get; init; }

    /// <summary>The metric's name for a metric target, else <c>error_rate</c>, <c>p95_latency_ms</c> or <c>cost_per_1k</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The target as the task file gives it, on the metric's stored scale (an error rate in 0-1, latency in ms, cost per 1,000 items).</summary>
    public required double Target { get; init; }

    /// <summary>The target is a maximum (lower is better: error rate, latency, cost, TER); otherwise a minimum.</summary>
    public required bool AtMost { get; init; }

    /// <summary>The run's value, on the target's scale; null where there is none (no item answered, or no latency or cost recorded).</summary>
    public double? Actual { get; init; }

    /// <summary>
    /// The target was met: by the estimate, or with <c>targets.require: interval</c> by the far end of the metric's 95% interval.
    /// </summary>
    public required bool Passed { get; init; }
}

/// <summary>
/// A variant against the baseline (the task's first variant) on one metric, paired by item over the items both answered, with
/// the p-value Holm-adjusted across all of the run's comparisons. Differences are on the metric's stored scale.
/// </summary>
public sealed record EvalComparison
{
    /// <summary>The baseline variant.</summary>
    public required string Baseline { get; init; }

    /// <summary>The variant compared with it.</summary>
    public required string Variant { get; init; }

    /// <summary>The metric compared.</summary>
    public required string Metric { get; init; }

    /// <summary>The variant's value minus the baseline's, on the paired items.</summary>
    public required double Difference { get; init; }

    /// <summary>The lower end of the difference's 95% interval.</summary>
    public required double Lower { get; init; }

    /// <summary>The upper end of the difference's 95% interval.</summary>
    public required double Upper { get; init; }

    /// <summary>The paired test's p-value.</summary>
    public required double PValue { get; init; }

    /// <summary>The p-value after Holm's correction across the run's comparisons.</summary>
    public required double AdjustedPValue { get; init; }

    /// <summary>The adjusted p-value is below 0.05.</summary>
    public required bool Significant { get; init; }

    /// <summary>The paired items.</summary>
    public required int N { get; init; }
}
