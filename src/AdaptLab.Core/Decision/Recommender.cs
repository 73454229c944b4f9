using System.Globalization;
using AdaptLab.Core.Diagnosis;
using AdaptLab.Core.Readiness;
using AdaptLab.Core.Store;
using AdaptLab.Metrics.Statistics;
using AdaptLab.Core.Evidence;

namespace AdaptLab.Core.Decision;

/// <summary>
/// The decision flow: the cheapest rung that meets the targets, prompting first; retrieval when prompting misses;
/// fine-tuning only when the cheaper rungs miss, the data is ready and its lift over them is significant. Without
/// targets, the cheapest rung that no dearer rung beats significantly. Every claim cites a measured number.
/// </summary>
internal static class Recommender
{
    public static Recommendation Decide(DecisionInput input)
    {
        if (input.Rungs.Count == 0)
        {
            return new Recommendation(Outcome.NoneMeetsTargets, null, "no rung was measured", [],
                [.. input.NotClimbed.Select(n => $"{n.Kind.Name()} was not measured: {Why(n.Skip)}")]);
        }

        var passedOver = new List<string>();
        var chosen = Choose(input, passedOver);
        var best = input.HigherIsBetter ? input.Rungs.MaxBy(r => r.Value)! : input.Rungs.MinBy(r => r.Value)!;
        var outcome = chosen?.Kind switch
        {
            null => Outcome.NoneMeetsTargets,
            RungKind.Prompt or RungKind.FewShot => Outcome.PromptingIsEnough,
            RungKind.Rag => Outcome.AddRag,
            RungKind.FineTuned => Outcome.FineTune,
            _ => Outcome.FineTuneAndRag,
        };
        var target = chosen ?? best;
        var summary = chosen is null
            ? $"{Recommendation.Words(outcome)}: the best rung, {best.Variant}, reaches {input.Metric} {Points(input, best.Value)}"
            : $"{Recommendation.Words(outcome)}: {chosen.Variant} reaches {input.Metric} {Points(input, chosen.Value)}" +
              (chosen.MeetsTargets == true ? " and meets every target" : string.Empty) +
              (chosen.Lift is { } l && l.Significant(input.HigherIsBetter) ? $", {Difference(input, l)} over {l.Baseline}" : string.Empty);
        var wouldChange = WouldChange(input, chosen, best, passedOver);
        if (input.Rungs.All(r => r.MeetsTargets is null))
        {
            // Without targets "enough" only means no dearer rung did significantly better, which a rung scoring nothing can be.
            summary += "; the task sets no targets, so this is the cheapest rung that no dearer rung beats significantly, not one known to be good enough";
            wouldChange.Insert(0, $"targets in the task file (e.g. targets: {{ {input.Metric}: ... }}) decide whether any rung is good enough");
        }

        return new Recommendation(outcome, target.Variant, summary, Evidence(input, target), wouldChange);
    }

    private static RungEvidence? Choose(DecisionInput input, List<string> passedOver)
    {
        if (input.Rungs.Any(r => r.MeetsTargets is not null))
        {
            foreach (var rung in input.Rungs.Where(r => r.MeetsTargets == true))
            {
                if (Acceptable(input, rung, passedOver))
                {
                    return rung;
                }
            }

            return null;
        }

        var chosen = input.Rungs[0];
        foreach (var rung in input.Rungs.Skip(1))
        {
            if (rung.Lift is { } lift && lift.Significant(input.HigherIsBetter) && Acceptable(input, rung, passedOver))
            {
                chosen = rung;
            }
        }

        return chosen;
    }

    /// <summary>A fine-tuned rung is recommended only on ready data and with a significant lift over the cheaper rungs.</summary>
    private static bool Acceptable(DecisionInput input, RungEvidence rung, List<string> passedOver)
    {
        if (!rung.Kind.IsFineTuned())
        {
            return true;
        }

        if (input.Readiness == Verdict.NotReady)
        {
            passedOver.Add($"{rung.Variant} is not recommended while the training data is not ready ({string.Join("; ", input.Blockers)})");
            return false;
        }

        if (rung.Lift is not { } lift || !lift.Significant(input.HigherIsBetter))
        {
            passedOver.Add(rung.Lift is { } l
                ? $"{rung.Variant}'s lift over {l.Baseline} is not significant ({Difference(input, l)}): fine-tuning is not worth its cost on this evidence"
                : $"{rung.Variant} has no cheaper rung to be compared with");
            return false;
        }

        return true;
    }

    private static List<string> Evidence(DecisionInput input, RungEvidence target)
    {
        var lines = input.Rungs.Select(r =>
            $"{r.Variant}: {input.Metric} {Points(input, r.Value)}{Interval(input, r.Lower, r.Upper)} on {r.N} items" +
            (r.MeetsTargets switch { true => ", meets every target", false => ", misses " + string.Join("; ", r.Missed), null => string.Empty }) +
            (r.Lift is { } lift ? $"; vs {lift.Baseline} {Difference(input, lift)}" : string.Empty)).ToList();
        foreach (var rung in new[] { input.Rungs[0], target }.Distinct().Where(r => r.Failures.Failed > 0))
        {
            lines.Add($"{rung.Variant}'s failures ({rung.Failures.Failed} of {rung.Failures.Items} items): " +
                string.Join(", ", rung.Failures.Shares.Where(s => s.Count > 0).Select(s => $"{Words(s.Category)} {s.Count} ({Format.WholePercent(s.Share)} [{Format.WholePercent(s.Lower)}, {Format.WholePercent(s.Upper)}])")));
        }

        var priced = input.Rungs.Where(r => r.Cost.CostPer1k is not null).ToList();
        if (priced.Count > 0)
        {
            lines.Add("cost per 1,000 requests: " + string.Join(", ", priced.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Variant} {r.Cost.CostPer1k:0.####}"))));
        }

        if (input.Constrained is { } constrained)
        {
            lines.Add($"with {constrained.Metric} enforced while decoding, {input.Rungs[0].Variant} reaches {constrained.Metric} {Points(input, constrained.Value)}{Interval(input, constrained.Lower, constrained.Upper)}");
        }

        // Rungs that share one trained model share its one training, which is listed once.
        lines.AddRange(input.Rungs.Where(r => r.Cost.TrainingSeconds is not null).GroupBy(r => r.Cost.TrainedModel ?? r.Variant).Select(g =>
        {
            var cost = g.First().Cost;
            return string.Create(CultureInfo.InvariantCulture, $"{string.Join(" and ", g.Select(r => r.Variant))}: one training of {cost.TrainingSeconds:F0} s") +
                (cost.TrainingCost is { } price ? string.Create(CultureInfo.InvariantCulture, $", costing {price:0.####}") : string.Empty);
        }));
        if (input.Readiness is { } verdict)
        {
            lines.Add("training data: " + ReadinessText.Verdict(verdict));
        }

        lines.AddRange(input.NotClimbed.Select(n => $"{n.Kind.Name()} not measured: {Why(n.Skip)}"));
        return lines;
    }

    private static List<string> WouldChange(DecisionInput input, RungEvidence? chosen, RungEvidence best, List<string> passedOver)
    {
        var lines = new List<string>(passedOver);
        foreach (var rung in input.Rungs.Where(r => r != chosen && r.Lift is { } l && !l.Significant(input.HigherIsBetter) && Better(input, l.Difference)))
        {
            var lift = rung.Lift!;
            if (lift.Discordance is { } discordance && Math.Abs(lift.Difference) <= discordance)
            {
                var plan = PowerAnalysis.PairedBinarySampleSize(discordance, lift.Difference);
                lines.Add($"with {plan.SampleSize} paired test items (now {lift.N}), a lift as large as {rung.Variant}'s over {lift.Baseline} ({Difference(input, lift)}) would be detectable (80% power, alpha 0.05)");
            }
            else
            {
                lines.Add($"more test items would narrow {rung.Variant}'s lift over {lift.Baseline} ({Difference(input, lift)}) enough to decide");
            }
        }

        if (input.BreakEven is { } breakEven)
        {
            var quality = breakEven.QualityDifference is { } q ? $"; quality difference {Difference(input, q, adjusted: false)}" : string.Empty;
            lines.Add(breakEven.RequestsPerMonth is not { } volume
                ? $"{breakEven.FineTuned} is not cheaper per request than {breakEven.Prompted}, so at these prices fine-tuning never pays for itself{quality}"
                : chosen?.Variant == breakEven.FineTuned
                    ? string.Create(CultureInfo.InvariantCulture, $"below {volume:N0} requests a month {breakEven.Prompted} costs less than {breakEven.FineTuned}{quality}")
                    : string.Create(CultureInfo.InvariantCulture, $"above {volume:N0} requests a month {breakEven.FineTuned} costs less than {breakEven.Prompted}{quality}"));
        }

        if (input.Constrained is { MeetsTarget: true } format && chosen?.Kind.IsFineTuned() != false)
        {
            lines.Add(Constrained(input, format, chosen ?? best));
        }

        if (input.Readiness == Verdict.NotReady && passedOver.Count == 0)
        {
            lines.Add("fine-tuning waits on the data: " + string.Join("; ", input.Blockers));
        }

        if (chosen is null && best.Failures.Dominant is { } dominant)
        {
            lines.Add($"most of {best.Variant}'s failures are {Words(dominant.Category)} ({dominant.Count} of {best.Failures.Items}): {Remedy(dominant.Category, best)}");
        }

        lines.AddRange(input.NotClimbed.Where(n => n.Skip?.Reason is SkipReason.TargetsMet)
            .Select(n => $"{n.Kind.Name()} was not measured because the targets were met below it; `adaptlab run --all` measures it"));
        return lines;
    }

    private static string Remedy(FailureCategory category, RungEvidence rung) => category switch
    {
        FailureCategory.Format => "constrained decoding (a json_schema or label set the decoder enforces) or fine-tuning on the format",
        FailureCategory.KnowledgeGap => "the model answers with the right context: retrieval that finds it (a better corpus, chunking or retriever)",
        FailureCategory.Inconsistency => "a sample or a reworded prompt answers these right, the rung's reply does not: a majority vote over samples, " +
            "more or better few-shot examples, or fine-tuning" + (rung.Temperature is > 0 and var t
                ? string.Create(CultureInfo.InvariantCulture, $", or a temperature below its {t:0.##}")
                : string.Empty),
        _ => "none of the experiments that ran passes these items, with or without the context: a capability the model lacks, which fine-tuning on labelled data or a larger base model gives",
    };

    /// <summary>
    /// What the constrained-decoding probe says, checked against the task's other metrics: valid replies that score worse on
    /// them than <paramref name="rung"/> does are no substitute for it.
    /// </summary>
    private static string Constrained(DecisionInput input, ConstrainedProbe format, RungEvidence rung)
    {
        var lifted = $"constrained decoding alone lifts {input.Rungs[0].Variant} to {format.Metric} {Points(input, format.Value)}";
        var worse = format.Others.Where(o => rung.Others.TryGetValue(o.Metric, out var value) && (o.HigherIsBetter ? value - o.Value : o.Value - value) > 1e-9).ToList();
        string Own(double value, double fullScale) => (value * 100 / fullScale).ToString("0.0", CultureInfo.InvariantCulture);
        if (worse.Count > 0)
        {
            return lifted + ", but its " + string.Join(", ", worse.Select(o => $"{o.Metric} is {Own(o.Value, o.FullScale)} against {rung.Variant}'s {Own(rung.Others[o.Metric], o.FullScale)}")) +
                $": valid replies are not right ones, so the constraint does not replace {rung.Variant}";
        }

        var others = format.Others.Count == 0 ? string.Empty : " (" + string.Join(", ", format.Others.Select(o => $"{o.Metric} {Own(o.Value, o.FullScale)}")) + ")";
        return lifted + others + ": set json_schema on the prompted variant before paying for training";
    }

    public static string Words(FailureCategory category) => category switch
    {
        FailureCategory.Format => "format",
        FailureCategory.KnowledgeGap => "knowledge gap",
        FailureCategory.Inconsistency => "inconsistency",
        _ => "capability gap",
    };

    private static string Why(RungSkip? skip) => skip?.Text ?? "not reached";

    private static bool Better(DecisionInput input, double difference) => input.HigherIsBetter ? difference > 0 : difference < 0;

    private static string Points(DecisionInput input, double value) =>
        (value * 100 / input.FullScale).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Interval(DecisionInput input, double? lower, double? upper) =>
        lower is { } l && upper is { } u ? $" [{Points(input, l)}, {Points(input, u)}]" : string.Empty;

    internal static string Difference(DecisionInput input, Lift lift, bool adjusted = true) => string.Create(CultureInfo.InvariantCulture,
        $"{(lift.Difference >= 0 ? "+" : string.Empty)}{lift.Difference * 100 / input.FullScale:0.0} points [{lift.Lower * 100 / input.FullScale:0.0}, {lift.Upper * 100 / input.FullScale:0.0}], ") +
        (adjusted ? $"p(Holm) {Format.PValue(lift.AdjustedP)}" : $"p {Format.PValue(lift.PValue)}");
}
