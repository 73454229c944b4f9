using AdaptLab.Core.Decision;
using AdaptLab.Core.Diagnosis;
using AdaptLab.Core.Readiness;
using AdaptLab.Core.Store;

namespace AdaptLab.Tests.Decision;

/// <summary>Ladders as a study records them, written by hand: the recommendation is a function of these numbers alone.</summary>
internal static class RecordedLadder
{
    public static RungEvidence Rung(RungKind kind, double value, bool? meets, Lift? lift = null, FailureMix? failures = null, double? costPer1k = null, double? trainingCost = null) =>
        new(kind, kind.Name(), value, value - 0.1, value + 0.1, 100, meets, meets == false ? [$"accuracy {value} < 0.8"] : [],
            lift, new RungCost(50, 5, null, costPer1k, 100, 200, trainingCost is null ? null : 600, trainingCost), failures ?? FailureMix.Of([], []));

    /// <summary>A lift of <paramref name="difference"/> over <paramref name="baseline"/>, with an interval that excludes 0 exactly when significant.</summary>
    public static Lift Lift(RungKind rung, RungKind baseline, double difference, bool significant, double discordance = 0.3) =>
        new(rung.Name(), baseline.Name(), difference, significant ? difference / 2 : -0.05, difference * 1.5, significant ? 0.001 : 0.3,
            significant ? 0.002 : 0.6, 100, discordance, "exact McNemar test");

    public static DecisionInput Input(IReadOnlyList<RungEvidence> rungs, Verdict? readiness = Verdict.Ready, BreakEven? breakEven = null,
        IReadOnlyList<(RungKind, RungSkip?)>? notClimbed = null, ConstrainedProbe? constrained = null) =>
        new("accuracy", true, 1, rungs, notClimbed ?? [], readiness, readiness == Verdict.NotReady ? ["177 test inputs also appear in train"] : [], breakEven, constrained);
}
