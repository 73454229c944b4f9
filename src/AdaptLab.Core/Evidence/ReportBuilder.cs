using AdaptLab.Core.Store;
using AdaptLab.Metrics;
using AdaptLab.Metrics.Classification;
using AdaptLab.Core.Prediction;

namespace AdaptLab.Core.Evidence;

/// <summary>Builds a <see cref="RunReport"/> from the store: summaries, gates, paired comparisons, items.</summary>
internal static class ReportBuilder
{
    public static RunReport Build(RunStore store, RunInfo run)
    {
        var data = RunData.Load(store, run);
        var results = store.GetMetricResults(run.Id);
        var scores = store.GetScores(run.Id)
            .ToLookup(s => (s.Variant, s.ItemIndex));
        var metrics = run.Config.CreateMetrics().ToList();

        var predictions = data.Predictions.ToDictionary(p => (p.Variant, p.ItemIndex));
        var variants = data.Variants.Select(v => Summarize(data, v, results)).ToList();
        var items = data.Items.Select(item => new ItemRow(item.Index, item.Id, item.Input, item.Expected,
            data.Variants.Select(v =>
            {
                var p = predictions.GetValueOrDefault((v.Name, item.Index));
                var itemScores = scores[(v.Name, item.Index)].ToDictionary(s => s.Metric, s => new ItemScore(s.Value, s.Reason));
                var parsed = p?.Output is { } output ? data.Parse(output) : null;
                var steps = p?.Context is { } context ? StepContext.Parse(context) : null;
                return new ItemOutput(v.Name, p?.Output, p?.Error, p?.LatencyMs, itemScores, parsed, steps?.Shots, steps?.Chunks);
            }).ToList())).ToList();

        return new RunReport(run, metrics.Select(m => m.Name).ToList(), variants, Gates(run.Config, metrics, variants),
            Comparisons(data, metrics), items, metrics.ToDictionary(m => m.Name, m => MetricCatalog.FullScale(m)));
    }

    private static VariantReport Summarize(RunData data, VariantInfo v, IReadOnlyList<MetricResult> results)
    {
        var predictions = data.Predictions.Where(p => p.Variant == v.Name).ToList();
        var ok = predictions.Where(p => p.Error is null).ToList();
        // Failed calls count: an item that timed out three times took that long, answer or not.
        var latencies = predictions.Select(p => p.LatencyMs).ToArray();
        var costs = ok.Where(p => p.Cost is not null).Select(p => p.Cost!.Value).ToList();
        var (invalid, classes) = Classification(data, v.Name);
        return new VariantReport(
            v.Name, v.ModelRef, v.PromptPath, v.PromptHash, v.PromptText, v.SystemPrompt, v.Parameters,
            results.Where(r => r.Variant == v.Name).ToList(),
            Items: data.Items.Count,
            Predicted: ok.Count,
            Errors: predictions.Count - ok.Count,
            Cached: ok.Count(p => p.Cached),
            LatencyP50Ms: Percentiles.Of(latencies, 50),
            LatencyP95Ms: Percentiles.Of(latencies, 95),
            LatencyP99Ms: Percentiles.Of(latencies, 99),
            CostPer1k: costs.Count == 0 ? null : costs.Average() * 1000,
            InvalidLabels: invalid,
            Classes: classes,
            Pipeline: v.Pipeline,
            Identity: v.Identity);
    }

    /// <summary>For a classification run with a frozen label set: the invalid replies and the per-label table.</summary>
    private static (int? Invalid, ClassTable? Table) Classification(RunData data, string variant)
    {
        if (data.Run.Config.Labels is not { Count: > 0 } labels)
        {
            return (null, null);
        }

        var succeeded = data.Succeeded(variant);
        var invalid = succeeded.Count(p => data.MatchLabel(p.Output!)?.Kind == LabelMatchKind.Invalid);
        if (succeeded.Count == 0)
        {
            return (invalid, null);
        }

        var report = ClassificationReport.FromItems(data.MetricItems(succeeded), labels);
        var confusion = report.Confusion;
        var n = confusion.Labels.Count;
        var matrix = Enumerable.Range(0, n).Select(r => (IReadOnlyList<int>)Enumerable.Range(0, n).Select(c => confusion[r, c]).ToArray()).ToList();
        return (invalid, new ClassTable(confusion.Labels, report.Classes, matrix, Enumerable.Range(0, n).Select(confusion.Invalid).ToArray()));
    }

    private static List<GateResult> Gates(RunConfig config, IReadOnlyList<IMetric> metrics, IReadOnlyList<VariantReport> variants)
    {
        var gates = new List<GateResult>();
        foreach (var v in variants)
        {
            foreach (var (name, target) in config.MetricTargets)
            {
                var higherIsBetter = metrics.First(m => m.Name == name).HigherIsBetter;
                var result = v.Metrics.FirstOrDefault(m => m.Metric == name);
                // On the interval, its far side must clear the target; without an interval, the estimate decides.
                var judged = config.TargetsOnInterval ? (higherIsBetter ? result?.Lower : result?.Upper) ?? result?.Value : result?.Value;
                gates.Add(new GateResult(v.Name, name, target, !higherIsBetter, result?.Value,
                    judged is { } a && (higherIsBetter ? a >= target : a <= target), result?.Lower, result?.Upper, config.TargetsOnInterval));
            }

            if (config.MaxErrorRate is { } maxErrors)
            {
                gates.Add(new GateResult(v.Name, "error_rate", maxErrors, true, v.ErrorRate, v.ErrorRate <= maxErrors));
            }

            if (config.P95LatencyMs is { } maxLatency)
            {
                gates.Add(new GateResult(v.Name, "p95_latency_ms", maxLatency, true, v.LatencyP95Ms, v.LatencyP95Ms <= maxLatency));
            }

            if (config.MaxCostPer1k is { } maxCost)
            {
                gates.Add(new GateResult(v.Name, "cost_per_1k", maxCost, true, v.CostPer1k, v.CostPer1k is null || v.CostPer1k <= maxCost));
            }
        }

        return gates;
    }

    /// <summary>Every variant against the first, per metric, Holm-corrected across the whole family.</summary>
    private static List<ComparisonRow> Comparisons(RunData data, IReadOnlyList<IMetric> metrics)
    {
        if (data.Variants.Count < 2)
        {
            return [];
        }

        var baseline = data.Variants[0].Name;
        var family = new ComparisonFamily<string>();
        foreach (var variant in data.Variants.Skip(1))
        {
            family.Add(variant.Name, metrics, data, variant.Name, data, baseline);
        }

        return [.. family.Adjusted().Select(f => new ComparisonRow(baseline, f.Key, f.Result.Metric, f.Result.Difference,
            f.Result.Lower, f.Result.Upper, f.Result.PValue, f.AdjustedP, f.Significant, f.Result.N, f.Method, f.Result.Caution))];
    }
}
