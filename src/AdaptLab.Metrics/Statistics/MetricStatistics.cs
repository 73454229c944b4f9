using System.Globalization;

namespace AdaptLab.Metrics.Statistics;

/// <summary>
/// Confidence intervals for one variant and tests between two, chosen by the metric's
/// <see cref="MetricShape"/>. All methods treat items as independent draws from the population the
/// task stands for; none of them corrects for near-duplicate items.
/// </summary>
public static class MetricStatistics
{
    /// <summary>
    /// The metric on all items with an interval: Wilson score for <see cref="MetricShape.MeanOfBinary"/>;
    /// otherwise a bootstrap (percentile or BCa) over per-item scores (<see cref="MetricShape.MeanOfItems"/>)
    /// or over items with the metric recomputed on each resample (<see cref="MetricShape.Corpus"/>), within
    /// the metric's strata where it has them (<see cref="IResamplableMetric.Strata"/>). A bootstrap interval
    /// that excludes its own estimate, or whose strata hold single items, carries a
    /// <see cref="MetricEstimate.Caution"/>.
    /// </summary>
    /// <exception cref="ArgumentException">No items, bad options, or the metric's per-item scores do not fit its shape.</exception>
    /// <param name="computed">The metric's value on <paramref name="items"/> when the caller has it already.</param>
    public static MetricEstimate Estimate(IMetric metric, IReadOnlyList<MetricItem> items, EstimateOptions? options = null, MetricValue? computed = null)
    {
        if (items.Count == 0)
        {
            throw new ArgumentException($"cannot estimate '{metric.Name}' on no items");
        }

        var value = computed ?? metric.Compute(items);
        var sample = metric.Shape == MetricShape.Corpus
            ? new MetricSample(metric, items.Count, value.Value, null, UnitsOf(metric, items), Recompute(metric, items), (metric as IResamplableMetric)?.Strata(items))
            : new MetricSample(metric, items.Count, value.Value, ScoresFitting(metric, value, items.Count), items.Count, null, null);
        return Estimate(sample, options);
    }

    /// <summary>As <see cref="Estimate(IMetric, IReadOnlyList{MetricItem}, EstimateOptions?, MetricValue?)"/>, from what an accumulator kept of the items.</summary>
    /// <exception cref="ArgumentException">Bad options, or fewer than 2 items for a bootstrap.</exception>
    public static MetricEstimate Estimate(MetricSample sample, EstimateOptions? options = null)
    {
        options ??= EstimateOptions.Default;
        options.Validate();
        var metric = sample.Metric;
        var n = sample.Items;
        if (metric.Shape == MetricShape.MeanOfBinary)
        {
            var successes = (int)sample.Scores!.Sum();
            var (lower, upper) = Wilson.Interval(successes, n, options.ConfidenceLevel);
            return new MetricEstimate(metric.Name, sample.Value, lower, upper, n, options.ConfidenceLevel, Wilson.Method);
        }

        if (n < 2)
        {
            throw new ArgumentException($"a bootstrap interval for '{metric.Name}' needs at least 2 items");
        }

        Func<int[], double> statistic;
        double estimate;
        Func<double[]> jackknife;
        var units = n;
        Stratification? strata = null;
        if (sample.Scores is { } scores)
        {
            statistic = indices => MeanAt(scores, indices);
            estimate = scores.Average();
            jackknife = () => LeaveOneOutMeans(scores);
        }
        else
        {
            statistic = sample.Statistic!;
            estimate = sample.Value;
            units = sample.Units;
            strata = Stratification.Of(metric, sample.Strata, units);

            // Leaving one unit out needs no strata: the jackknife only measures each unit's influence.
            jackknife = () => Bootstrap.Jackknife(units, statistic);
        }

        var replicates = Bootstrap.Replicates(units, options.Resamples, options.Seed, statistic, strata?.Members);
        var resampled = sample.Scores is not null ? "per-item scores"
            : (units == n ? "items" : $"{units} groups of items") + (strata is null ? string.Empty : " " + strata.Words) + ", metric recomputed";
        var suffix = $"({options.Resamples} resamples of {resampled}, seed {options.Seed})";
        if (options.Interval == BootstrapInterval.BCa)
        {
            var bca = Bootstrap.BcaInterval(replicates, estimate, jackknife(), options.ConfidenceLevel);
            if (bca is { } interval)
            {
                return new MetricEstimate(metric.Name, sample.Value, interval.Lower, interval.Upper, n,
                    options.ConfidenceLevel, $"bootstrap BCa interval {suffix}", Caution(estimate, interval.Lower, interval.Upper, strata));
            }

            suffix += "; BCa undefined for this sample";
        }

        var (low, high) = Bootstrap.PercentileInterval(replicates, options.ConfidenceLevel);
        return new MetricEstimate(metric.Name, sample.Value, low, high, n, options.ConfidenceLevel,
            $"bootstrap percentile interval {suffix}", Caution(estimate, low, high, strata));
    }

    /// <summary>
    /// Variant A against variant B on the same items, paired by index. The interval is a paired
    /// bootstrap percentile interval of Metric(A) - Metric(B). The p-value is the exact McNemar test
    /// for <see cref="MetricShape.MeanOfBinary"/> metrics, otherwise the paired bootstrap test: the
    /// share of replicate differences, shifted to mean the observed difference under H0, that lie at
    /// least as far from it as the observed difference lies from 0, with the usual +1 correction. A corpus
    /// metric with strata resamples within them, the same indices for both variants (their items have the
    /// same references, so the same strata); the <see cref="PairedComparison.Caution"/> is as for an estimate.
    /// </summary>
    /// <exception cref="ArgumentException">The lists differ in length or references at some index, or are empty.</exception>
    public static PairedComparison Compare(
        IMetric metric, IReadOnlyList<MetricItem> a, IReadOnlyList<MetricItem> b, CompareOptions? options = null)
    {
        options ??= CompareOptions.Default;
        options.Validate();
        CheckPaired(a, b);
        var valueA = metric.Compute(a);
        var valueB = metric.Compute(b);
        var observed = valueA.Value - valueB.Value;
        var n = a.Count;
        var units = n;
        Stratification? strata = null;

        Func<int[], double> difference;
        double? exactPValue = null;
        if (metric.Shape == MetricShape.Corpus)
        {
            var (onA, onB) = (Recompute(metric, a), Recompute(metric, b));
            difference = indices => onA(indices) - onB(indices);
            units = UnitsOf(metric, a);
            if (UnitsOf(metric, b) != units)
            {
                throw new ArgumentException($"metric '{metric.Name}' groups the items of the two variants differently ({units} and {UnitsOf(metric, b)} groups)");
            }

            strata = Stratification.Of(metric, (metric as IResamplableMetric)?.Strata(a), units);
        }
        else
        {
            var scoresB = ScoresFitting(metric, valueB, n);
            var deltas = ScoresFitting(metric, valueA, n).Select((x, i) => x - scoresB[i]).ToArray();
            difference = indices => MeanAt(deltas, indices);
            if (metric.Shape == MetricShape.MeanOfBinary)
            {
                exactPValue = McNemar.PValue(deltas.Count(d => d > 0), deltas.Count(d => d < 0));
            }
        }

        var replicates = Bootstrap.Replicates(units, options.Resamples, options.Seed, difference, strata?.Members);
        var pValue = exactPValue ?? ShiftedBootstrapPValue(replicates, observed);
        var test = exactPValue is null ? "paired bootstrap test" : McNemar.Method;
        var (lower, upper) = Bootstrap.PercentileInterval(replicates, 1 - options.Alpha);
        var level = (1 - options.Alpha).ToString("0.##%", CultureInfo.InvariantCulture);
        var resamples = strata is null ? $"{options.Resamples} resamples" : $"{options.Resamples} resamples {strata.Words}";
        var method = $"{test}; {level} paired bootstrap percentile interval ({resamples}, seed {options.Seed})";
        return new PairedComparison(metric.Name, valueA.Value, valueB.Value, observed, lower, upper, pValue,
            pValue < options.Alpha, n, method, Caution(observed, lower, upper, strata));
    }

    /// <summary>
    /// Why a bootstrap interval should not be read at face value, or null. An interval that excludes its
    /// own estimate comes from replicates shifted away from it (a class average whose resamples lose
    /// classes, say): it measures the shift, not the uncertainty. The estimate gets a hair of slack
    /// because a metric's resampler may round differently from its full computation.
    /// </summary>
    private static string? Caution(double estimate, double lower, double upper, Stratification? strata)
    {
        var slack = 1e-9 * Math.Max(1, Math.Abs(estimate));
        var excludes = lower > estimate + slack || upper < estimate - slack
            ? "the interval excludes its own estimate, so the resampling misreads this metric's uncertainty"
            : null;
        var reasons = new[] { excludes, strata?.Caution }.OfType<string>().ToArray();
        return reasons.Length == 0 ? null : string.Join("; ", reasons);
    }

    private static double ShiftedBootstrapPValue(double[] replicates, double observed)
    {
        var extreme = replicates.Count(r => Math.Abs(r - observed) >= Math.Abs(observed));
        return (extreme + 1.0) / (replicates.Length + 1.0);
    }

    private static void CheckPaired(IReadOnlyList<MetricItem> a, IReadOnlyList<MetricItem> b)
    {
        if (a.Count != b.Count)
        {
            throw new ArgumentException($"paired comparison needs the same items: variant A has {a.Count}, variant B {b.Count}");
        }

        if (a.Count == 0)
        {
            throw new ArgumentException("paired comparison needs at least one item");
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!a[i].References.SequenceEqual(b[i].References, StringComparer.Ordinal))
            {
                throw new ArgumentException($"item {i} has different references in the two variants; are they in the same order?");
            }
        }
    }

    /// <summary>The per-item scores, checked against the metric's shape: one per item, and 0 or 1 for a mean of binary outcomes.</summary>
    private static double[] ScoresFitting(IMetric metric, MetricValue value, int n)
    {
        if (value.PerItem is not { } perItem || perItem.Count != n)
        {
            throw new ArgumentException($"metric '{metric.Name}' has shape {metric.Shape} but gave no per-item score for each of the {n} items");
        }

        for (var i = 0; i < n; i++)
        {
            if (metric.Shape == MetricShape.MeanOfBinary && perItem[i] is not (0 or 1))
            {
                throw new ArgumentException($"metric '{metric.Name}' is a mean of binary outcomes but item {i} scored {perItem[i]}");
            }
        }

        return perItem.ToArray();
    }

    private static double MeanAt(double[] values, int[] indices)
    {
        var sum = 0.0;
        foreach (var i in indices)
        {
            sum += values[i];
        }

        return sum / indices.Length;
    }

    private static double[] LeaveOneOutMeans(double[] values)
    {
        var total = values.Sum();
        return values.Select(v => (total - v) / (values.Length - 1)).ToArray();
    }

    /// <summary>The metric on a resample: prepared once where the metric can (<see cref="IResamplableMetric"/>), else recomputed.</summary>
    private static Func<int[], double> Recompute(IMetric metric, IReadOnlyList<MetricItem> items) =>
        metric is IResamplableMetric resamplable ? resamplable.Resampler(items) : indices => metric.Compute(Pick(items, indices)).Value;

    private static int UnitsOf(IMetric metric, IReadOnlyList<MetricItem> items) =>
        metric is IResamplableMetric resamplable ? resamplable.Units(items) : items.Count;

    private static MetricItem[] Pick(IReadOnlyList<MetricItem> items, int[] indices) =>
        indices.Select(i => items[i]).ToArray();
}
