using AdaptLab.Core.Decision;
using AdaptLab.Core.Diagnosis;
using AdaptLab.Core.Readiness;
using AdaptLab.Core.Store;
using static AdaptLab.Tests.Decision.RecordedLadder;

namespace AdaptLab.Tests.Decision;

/// <summary>Each outcome of the decision flow, on recorded results, with the evidence it must cite.</summary>
public class RecommenderTests
{
    [Fact]
    public void Prompting_is_enough_when_the_zero_shot_rung_meets_the_targets()
    {
        var result = Recommender.Decide(Input([Rung(RungKind.Prompt, 0.85, meets: true)], notClimbed: [(RungKind.Rag, new RungSkip(SkipReason.TargetsMet, ["prompt"]))]));

        Assert.Equal(Outcome.PromptingIsEnough, result.Outcome);
        Assert.Equal("prompt", result.Rung);
        Assert.Contains("prompt: accuracy 85.0 [75.0, 95.0] on 100 items, meets every target", result.Evidence);
        Assert.Contains(result.WouldChange, l => l.StartsWith("rag was not measured because the targets were met below it", StringComparison.Ordinal));
    }

    [Fact]
    public void Few_shot_meeting_the_targets_is_still_prompting()
    {
        var result = Recommender.Decide(Input([
            Rung(RungKind.Prompt, 0.6, meets: false),
            Rung(RungKind.FewShot, 0.82, meets: true, Lift(RungKind.FewShot, RungKind.Prompt, 0.22, significant: true))]));

        Assert.Equal(Outcome.PromptingIsEnough, result.Outcome);
        Assert.Equal("few-shot", result.Rung);
    }

    [Fact]
    public void Add_RAG_when_prompting_misses_and_retrieval_meets_the_targets_citing_the_knowledge_gaps()
    {
        var failures = FailureMix.Of([.. Enumerable.Range(0, 10).Select(i => new ItemSignals(i, Passed: i >= 6, FormatValid: true, PassesWithContext: i < 5, PassesSometimes: false))], ["knowledge: retrieval"]);
        var result = Recommender.Decide(Input([
            Rung(RungKind.Prompt, 0.4, meets: false, failures: failures),
            Rung(RungKind.Rag, 0.9, meets: true, Lift(RungKind.Rag, RungKind.Prompt, 0.5, significant: true))]));

        Assert.Equal(Outcome.AddRag, result.Outcome);
        Assert.Contains("+50.0 points [25.0, 75.0], p(Holm) 0.0020 over prompt", result.Summary, StringComparison.Ordinal);
        Assert.Contains("prompt's failures (6 of 10 items): knowledge gap 5 (50% [24%, 76%]), capability gap 1 (10% [2%, 40%])", result.Evidence);
    }

    [Fact]
    public void Fine_tune_when_the_cheaper_rungs_miss_the_data_is_ready_and_the_lift_is_significant()
    {
        var breakEven = BreakEven.Compute("fine-tuned", "prompt", 25, 0.01, 0.06, null);
        var result = Recommender.Decide(Input([
            Rung(RungKind.Prompt, 0.1, meets: false),
            Rung(RungKind.FineTuned, 0.95, meets: true, Lift(RungKind.FineTuned, RungKind.Prompt, 0.85, significant: true), trainingCost: 0.5)],
            breakEven: breakEven));

        Assert.Equal(Outcome.FineTune, result.Outcome);
        Assert.Contains("training data: ready", result.Evidence);
        Assert.Contains("below 500,000 requests a month prompt costs less than fine-tuned", result.WouldChange);
    }

    [Fact]
    public void Fine_tune_and_RAG_when_only_the_fine_tuned_model_with_retrieval_meets_the_targets()
    {
        var result = Recommender.Decide(Input([
            Rung(RungKind.Prompt, 0.1, meets: false),
            Rung(RungKind.Rag, 0.4, meets: false, Lift(RungKind.Rag, RungKind.Prompt, 0.3, significant: true)),
            Rung(RungKind.FineTuned, 0.12, meets: false, Lift(RungKind.FineTuned, RungKind.Rag, -0.28, significant: false)),
            Rung(RungKind.FineTunedRag, 0.97, meets: true, Lift(RungKind.FineTunedRag, RungKind.Rag, 0.57, significant: true))]));

        Assert.Equal(Outcome.FineTuneAndRag, result.Outcome);
        Assert.Equal("fine-tuned+rag", result.Rung);
    }

    [Fact]
    public void A_fine_tuned_rung_that_meets_the_targets_without_a_significant_lift_is_not_recommended()
    {
        var result = Recommender.Decide(Input([
            Rung(RungKind.Prompt, 0.78, meets: false),
            Rung(RungKind.FineTuned, 0.81, meets: true, Lift(RungKind.FineTuned, RungKind.Prompt, 0.03, significant: false, discordance: 0.09))]));

        Assert.Equal(Outcome.NoneMeetsTargets, result.Outcome);
        Assert.Equal("fine-tuned", result.Rung);
        Assert.Contains(result.WouldChange, l => l.StartsWith("fine-tuned's lift over prompt is not significant (+3.0 points", StringComparison.Ordinal));
        // The paired power analysis: n = (z_a sqrt(psi) + z_b sqrt(psi - d^2))^2 / d^2 at psi 0.09, d 0.03 is 782.5, so 783 items.
        Assert.Contains(result.WouldChange, l => l.StartsWith("with 783 paired test items (now 100), a lift as large as fine-tuned's over prompt", StringComparison.Ordinal));
    }

    [Fact]
    public void A_fine_tuned_rung_on_data_that_is_not_ready_is_not_recommended_and_the_blockers_are_named()
    {
        var result = Recommender.Decide(Input(
            [Rung(RungKind.Prompt, 0.3, meets: false), Rung(RungKind.FineTuned, 0.9, meets: true, Lift(RungKind.FineTuned, RungKind.Prompt, 0.6, significant: true))],
            readiness: Verdict.NotReady));

        Assert.Equal(Outcome.NoneMeetsTargets, result.Outcome);
        Assert.Contains(result.WouldChange, l => l.Contains("not ready (177 test inputs also appear in train)", StringComparison.Ordinal));
    }

    [Fact]
    public void None_meets_the_targets_names_the_best_rung_and_the_remedy_for_its_main_failure()
    {
        var failures = FailureMix.Of([.. Enumerable.Range(0, 10).Select(i => new ItemSignals(i, Passed: i < 3, FormatValid: false, PassesWithContext: null, PassesSometimes: null))], []);
        var result = Recommender.Decide(Input([
            Rung(RungKind.Prompt, 0.2, meets: false),
            Rung(RungKind.FewShot, 0.3, meets: false, Lift(RungKind.FewShot, RungKind.Prompt, 0.1, significant: true), failures)],
            notClimbed: [(RungKind.FineTuned, new RungSkip(SkipReason.NoTrainSplit))],
            constrained: new ConstrainedProbe("json_schema", 1.0, 0.93, 1.0, MeetsTarget: true, [])));

        Assert.Equal(Outcome.NoneMeetsTargets, result.Outcome);
        Assert.Equal("few-shot", result.Rung);
        Assert.StartsWith("none meets the targets yet: the best rung, few-shot, reaches accuracy 30.0", result.Summary, StringComparison.Ordinal);
        Assert.Contains(result.WouldChange, l => l.StartsWith("most of few-shot's failures are format (7 of 10): constrained decoding", StringComparison.Ordinal));
        Assert.Contains(result.WouldChange, l => l.StartsWith("constrained decoding alone lifts prompt to json_schema 100.0", StringComparison.Ordinal));
        Assert.Contains("fine-tuned not measured: the task has no data.train to fine-tune on", result.Evidence);
    }

    [Fact]
    public void Constrained_decoding_is_no_remedy_when_its_valid_replies_score_worse_on_the_other_metrics()
    {
        RungEvidence Tuned(double fieldF1) => Rung(RungKind.FineTuned, 0.95, meets: true, Lift(RungKind.FineTuned, RungKind.Prompt, 0.95, significant: true)) with
        {
            Others = new Dictionary<string, double> { ["field_f1"] = fieldF1 },
        };
        var probe = new ConstrainedProbe("json_schema", 1.0, 0.93, 1.0, MeetsTarget: true, [new ProbeMetric("field_f1", 0.0, 1, HigherIsBetter: true)]);

        var worse = Recommender.Decide(Input([Rung(RungKind.Prompt, 0.0, meets: false), Tuned(0.62)], constrained: probe));
        var asGood = Recommender.Decide(Input([Rung(RungKind.Prompt, 0.0, meets: false), Tuned(0.0)], constrained: probe));

        Assert.Contains("constrained decoding alone lifts prompt to json_schema 100.0, but its field_f1 is 0.0 against fine-tuned's 62.0: valid replies are not right ones, so the constraint does not replace fine-tuned", worse.WouldChange);
        Assert.DoesNotContain(worse.WouldChange, l => l.Contains("before paying for training", StringComparison.Ordinal));
        // The control: where the constraint loses nothing on the other metrics, it is the cheaper remedy.
        Assert.Contains("constrained decoding alone lifts prompt to json_schema 100.0 (field_f1 0.0): set json_schema on the prompted variant before paying for training", asGood.WouldChange);
    }

    [Theory]
    [InlineData(0f, false)]
    [InlineData(0.7f, true)]
    public void The_remedy_for_inconsistency_suggests_a_lower_temperature_only_above_zero(float temperature, bool suggested)
    {
        var failures = FailureMix.Of([.. Enumerable.Range(0, 10).Select(i => new ItemSignals(i, Passed: false, FormatValid: true, PassesWithContext: false, PassesSometimes: true))], []);
        var result = Recommender.Decide(Input([Rung(RungKind.Prompt, 0.0, meets: false, failures: failures) with { Temperature = temperature }]));

        var line = Assert.Single(result.WouldChange, l => l.StartsWith("most of prompt's failures are inconsistency (10 of 10)", StringComparison.Ordinal));
        Assert.Equal(suggested, line.Contains("temperature below its 0.7", StringComparison.Ordinal));
        Assert.DoesNotContain("lower temperature", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Rungs_that_share_one_trained_model_list_its_training_once()
    {
        RungEvidence Tuned(RungKind kind, string model) => Rung(kind, 0.9, meets: true, Lift(kind, RungKind.Prompt, 0.9, significant: true), trainingCost: 0.5) with
        {
            Cost = new RungCost(50, 5, null, null, 100, 200, 600, 0.5, model),
        };

        var shared = Recommender.Decide(Input([Rung(RungKind.Prompt, 0.0, meets: false), Tuned(RungKind.FineTuned, "/m"), Tuned(RungKind.FineTunedRag, "/m")]));
        var separate = Recommender.Decide(Input([Rung(RungKind.Prompt, 0.0, meets: false), Tuned(RungKind.FineTuned, "/a"), Tuned(RungKind.FineTunedRag, "/b")]));

        Assert.Equal(["fine-tuned and fine-tuned+rag: one training of 600 s, costing 0.5"], shared.Evidence.Where(l => l.Contains("training of", StringComparison.Ordinal)));
        // The control: two trainings are two lines.
        Assert.Equal(2, separate.Evidence.Count(l => l.Contains("training of", StringComparison.Ordinal)));
    }

    [Fact]
    public void Without_targets_the_cheapest_rung_that_no_dearer_rung_beats_significantly_is_chosen()
    {
        var flat = Recommender.Decide(Input([
            Rung(RungKind.Prompt, 0.7, meets: null),
            Rung(RungKind.Rag, 0.73, meets: null, Lift(RungKind.Rag, RungKind.Prompt, 0.03, significant: false))]));
        var lifted = Recommender.Decide(Input([
            Rung(RungKind.Prompt, 0.7, meets: null),
            Rung(RungKind.Rag, 0.9, meets: null, Lift(RungKind.Rag, RungKind.Prompt, 0.2, significant: true))]));

        Assert.Equal(Outcome.PromptingIsEnough, flat.Outcome);
        Assert.Equal(Outcome.AddRag, lifted.Outcome);
        Assert.Contains("the task sets no targets", flat.Summary, StringComparison.Ordinal);
        Assert.StartsWith("targets in the task file", flat.WouldChange[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_lower_is_better_metric_counts_a_negative_difference_as_the_lift()
    {
        var lift = Lift(RungKind.Rag, RungKind.Prompt, -0.2, significant: true);

        Assert.True(lift.Significant(higherIsBetter: false));
        Assert.False(lift.Significant(higherIsBetter: true));
    }
}
