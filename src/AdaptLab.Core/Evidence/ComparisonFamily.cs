using AdaptLab.Metrics;
using AdaptLab.Metrics.Statistics;

namespace AdaptLab.Core.Evidence;

/// <summary>
/// A family of paired comparisons, Holm-adjusted together: each member pairs two variants' answers by item and runs each
/// metric's paired test (<see cref="PairedTest"/>). The run report, <c>compare</c>, the gates and the ladder's lifts all
/// build their families here, so "p(Holm)" means the same adjustment in every one of them.
/// </summary>
/// <typeparam name="TKey">What the caller needs back about a member (the variants compared).</typeparam>
internal sealed class ComparisonFamily<TKey>
{
    private readonly List<(TKey Key, PairedResult Test)> members = [];

    /// <summary>
    /// <paramref name="firstVariant"/> of <paramref name="first"/> against <paramref name="secondVariant"/> of
    /// <paramref name="second"/> (first − second) on each metric that has pairs to judge; a metric without them adds nothing.
    /// </summary>
    /// <param name="discordance">Measure a pass/fail metric's discordance too (<see cref="PairedTest.Run"/>).</param>
    public void Add(TKey key, IEnumerable<IMetric> metrics, RunData first, string firstVariant, RunData second, string secondVariant, bool discordance = false)
    {
        var (a, b) = PairedTest.Pair(first, firstVariant, second, secondVariant);
        Add(key, metrics, a, b, discordance);
    }

    /// <summary>Items already paired: <paramref name="a"/>[i] and <paramref name="b"/>[i] are the same item's answers.</summary>
    public void Add(TKey key, IEnumerable<IMetric> metrics, IReadOnlyList<MetricItem> a, IReadOnlyList<MetricItem> b, bool discordance = false)
    {
        foreach (var metric in metrics)
        {
            if (PairedTest.Run(metric, a, b, discordance) is { } test)
            {
                members.Add((key, test));
            }
        }
    }

    /// <summary>Every member in the order added, with its p-value Holm-adjusted across the whole family.</summary>
    public IReadOnlyList<AdjustedComparison<TKey>> Adjusted()
    {
        var adjusted = Holm.Adjust([.. members.Select(m => m.Test.Result.PValue)]);
        return [.. members.Select((m, i) => new AdjustedComparison<TKey>(
            m.Key, m.Test, adjusted[i], $"{m.Test.Result.Method}; {Holm.Method} across {members.Count} comparisons"))];
    }
}

/// <param name="AdjustedP">The test's p-value, Holm-adjusted across the family.</param>
/// <param name="Method">The test and the adjustment, in words, for the report.</param>
internal sealed record AdjustedComparison<TKey>(TKey Key, PairedResult Test, double AdjustedP, string Method)
{
    public PairedComparison Result => Test.Result;

    public IMetric Metric => Test.Metric;

    /// <summary>Significant after the adjustment.</summary>
    public bool Significant => AdjustedP < PairedTest.Alpha;
}
