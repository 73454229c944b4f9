namespace AdaptLab.Core.Store;

/// <summary>Why the climb did not measure a rung; code branches on it, and <see cref="RungSkip.Text"/> words it.</summary>
internal enum SkipReason
{
    /// <summary>A cheaper rung met the targets (values: that rung).</summary>
    TargetsMet,
    NoFewShot,
    NoCorpus,
    NoRetrieve,
    FineTuningOff,
    NoTrainSplit,

    /// <summary>ladder.finetune.variant is the gold-context probe (values: the variant).</summary>
    GoldContextVariant,

    /// <summary>The variant's model is not local (values: the variant, its model).</summary>
    NotLocalModel,

    /// <summary>ladder.local_only and a remote model (values: the model).</summary>
    LocalOnly,

    /// <summary>The readiness check failed (values: its blockers, joined).</summary>
    DataNotReady,

    /// <summary>Training ran out of time or money (values: the budget in minutes).</summary>
    BudgetSpent,

    /// <summary>
    /// Words no reason of this version writes (a study stored by an older or newer version; values: the words as stored).
    /// Read back, never written by the climb: the study shows them as they were, and no rule branches on them.
    /// </summary>
    Other,
}

/// <param name="Values">What the reason's words name (a rung, a model, a budget), in the order <see cref="SkipReasonColumn"/> places them.</param>
internal sealed record RungSkip(SkipReason Reason, IReadOnlyList<string> Values)
{
    public RungSkip(SkipReason reason)
        : this(reason, [])
    {
    }

    /// <summary>The words the study stores and every report prints.</summary>
    public string Text => SkipReasonColumn.Text(this);
}
