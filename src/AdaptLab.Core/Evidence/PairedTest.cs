using AdaptLab.Metrics;
using AdaptLab.Metrics.Statistics;

namespace AdaptLab.Core.Evidence;

/// <summary>
/// One paired comparison of two variants on a metric: their answers paired by item, the pairs the metric judges on both
/// sides, and the metric's paired test (exact McNemar for pass/fail metrics, else a paired bootstrap). Differences are
/// first − second. <see cref="ComparisonFamily{TKey}"/> adjusts a family of them together.
/// </summary>
internal static class PairedTest
{
    /// <summary>Below this (Holm-adjusted) p-value a difference is significant.</summary>
    public const double Alpha = 0.05;

    /// <summary>
    /// The items both variants answered, paired by item id (unique within a run, so runs read from different files pair
    /// on the items they share), in <paramref name="first"/>'s order: the bootstrap resamples by position, so the order
    /// is part of the result.
    /// </summary>
    public static (IReadOnlyList<MetricItem> First, IReadOnlyList<MetricItem> Second) Pair(
        RunData first, string firstVariant, RunData second, string secondVariant)
    {
        var byId = second.Succeeded(secondVariant).ToDictionary(p => second.Item(p.ItemIndex).Id);
        var paired = first.Succeeded(firstVariant).Where(p => byId.ContainsKey(first.Item(p.ItemIndex).Id)).ToList();
        return (first.MetricItems(paired), second.MetricItems(paired.Select(p => byId[first.Item(p.ItemIndex).Id])));
    }

    /// <summary>
    /// The pairs a metric compares: those it judges on both sides (tool-call validity: where both variants made calls), at
    /// least 2; none for a retrieval metric unless both variants retrieve (a variant without the step has no value, not a zero).
    /// </summary>
    public static (IReadOnlyList<MetricItem> A, IReadOnlyList<MetricItem> B)? Comparable(IMetric metric, IReadOnlyList<MetricItem> a, IReadOnlyList<MetricItem> b)
    {
        var (judgedA, judgedB) = MetricScope.Pairs(metric, a, b);
        return judgedA.Count >= 2 && (metric is not IScopedMetric scoped || (scoped.AppliesTo(judgedA) && scoped.AppliesTo(judgedB)))
            ? (judgedA, judgedB)
            : null;
    }

    /// <summary>The metric's paired test of <paramref name="a"/> against <paramref name="b"/>, or null where it has too few pairs to judge.</summary>
    /// <param name="discordance">Also measure the share of items a pass/fail metric's sides disagree on (the study shows it
    /// beside a lift); off elsewhere, as it scores every pair again.</param>
    public static PairedResult? Run(IMetric metric, IReadOnlyList<MetricItem> a, IReadOnlyList<MetricItem> b, bool discordance = false)
    {
        if (Comparable(metric, a, b) is not var (itemsA, itemsB))
        {
            return null;
        }

        double? disagree = null;
        if (discordance && metric.Shape == MetricShape.MeanOfBinary && metric.Compute(itemsA).PerItem is { } perA && metric.Compute(itemsB).PerItem is { } perB)
        {
            disagree = (double)perA.Zip(perB).Count(p => p.First != p.Second) / perA.Count;
        }

        return new PairedResult(metric, MetricStatistics.Compare(metric, itemsA, itemsB), disagree);
    }
}

/// <param name="Result">The test: first − second, its interval and unadjusted p-value.</param>
/// <param name="Discordance">For a pass/fail metric, when asked for, the share of paired items the two variants disagree on; else null.</param>
internal sealed record PairedResult(IMetric Metric, PairedComparison Result, double? Discordance);
