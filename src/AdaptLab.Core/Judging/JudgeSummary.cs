using AdaptLab.Core.Store;
using AdaptLab.Core.Tasks;
using AdaptLab.Metrics.Judges;
using AdaptLab.Metrics.Statistics;

namespace AdaptLab.Core.Judging;

/// <summary>One judge's verdicts on one variant of a run, with what makes them trustworthy or not.</summary>
/// <param name="Baseline">Pairwise: the variant compared with; null for a pointwise judge.</param>
/// <param name="Items">Items judged (at least one verdict read).</param>
/// <param name="Verdicts">Replies asked for (items × repeats).</param>
/// <param name="ParseFailures">Replies with no readable verdict (or a failed call): counted, shown, never scored as zero.</param>
/// <param name="Mean">Pointwise: the mean score (each item's repeats averaged); pairwise: the win rate, ties as halves.</param>
/// <param name="SelfAgreement">Cohen's kappa between the judge's first two verdicts on the same outputs.</param>
/// <param name="HumanAgreement">Cohen's kappa between the judge's first verdict and the people's ratings (the first rater's).</param>
/// <param name="FirstShownWins">Pairwise: the share of decided pairs won by the response shown first (0.5 without position bias).</param>
internal sealed record JudgeSummary(
    string Judge,
    string Variant,
    string? Baseline,
    int Items,
    int Verdicts,
    int ParseFailures,
    IReadOnlyList<string> FailureExamples,
    MetricEstimate? Mean,
    KappaEstimate? SelfAgreement,
    KappaEstimate? HumanAgreement,
    double? FirstShownWins)
{
    public static IReadOnlyList<JudgeSummary> Of(IReadOnlyList<JudgeSpec> judges, IReadOnlyList<JudgementRecord> judgements, IReadOnlyList<HumanRating> humans) =>
        [.. judges.SelectMany(judge => judgements.Where(j => j.Judge == judge.Name).GroupBy(j => j.Variant)
            .Select(variant => Summarize(judge, [.. variant], humans.Where(h => h.Variant == variant.Key).ToList())))];

    private static JudgeSummary Summarize(JudgeSpec judge, IReadOnlyList<JudgementRecord> verdicts, IReadOnlyList<HumanRating> humans)
    {
        var read = verdicts.Where(v => v.Value is not null).ToList();
        var perItem = read.GroupBy(v => v.ItemIndex).OrderBy(g => g.Key).Select(g => g.Average(v => v.Value!.Value)).ToList();
        var mean = perItem.Count >= 2 ? MetricStatistics.Estimate(new JudgeVerdictMean(judge.Name), JudgeVerdictMean.Items(perItem)) : null;

        var first = read.Where(v => v.Repeat == 0).ToDictionary(v => v.ItemIndex, v => v.Value!.Value);
        var second = read.Where(v => v.Repeat == 1).ToDictionary(v => v.ItemIndex, v => v.Value!.Value);
        var both = first.Keys.Where(second.ContainsKey).Order().ToList();
        var self = both.Count >= 2 ? CohenKappa.Estimate([.. both.Select(i => first[i])], [.. both.Select(i => second[i])]) : null;

        var people = humans.GroupBy(h => h.ItemIndex).ToDictionary(g => g.Key, g => g.OrderBy(h => h.Rater, StringComparer.Ordinal).First().Rating);
        var rated = first.Keys.Where(people.ContainsKey).Order().ToList();
        var human = judge.PairwiseBaseline is null && rated.Count >= 2 ? CohenKappa.Estimate([.. rated.Select(i => first[i])], [.. rated.Select(i => people[i])]) : null;

        double? firstShown = null;
        var decided = read.Where(v => v.ShownSecond is not null && v.Value != 0.5).ToList();
        if (judge.PairwiseBaseline is not null && decided.Count > 0)
        {
            firstShown = (double)decided.Count(v => (v.Value == 1) == (v.ShownSecond == false)) / decided.Count;
        }

        var failures = verdicts.Where(v => v.Value is null).ToList();
        return new JudgeSummary(judge.Name, verdicts[0].Variant, judge.PairwiseBaseline, perItem.Count, verdicts.Count, failures.Count,
            [.. failures.Take(3).Select(f => f.Error ?? "no verdict")], mean, self, human, firstShown);
    }
}
