namespace AdaptLab.Core.Diagnosis;

/// <summary>What the ladder's experiments measured about one item on one rung.</summary>
/// <param name="Passed">The item's primary-metric score is perfect on this rung.</param>
/// <param name="FormatValid">The rung's output had the expected form.</param>
/// <param name="PassesWithContext">The item passed with the gold context or with retrieval; null where neither was measured.</param>
/// <param name="PassesSometimes">A sample at temperature or a paraphrased instruction passed the item; null where no such probe ran.</param>
internal sealed record ItemSignals(int ItemIndex, bool Passed, bool FormatValid, bool? PassesWithContext, bool? PassesSometimes)
{
    /// <summary>
    /// The failure's category, or null for a passed item. The order is the order of the fixes: a reply the parser cannot
    /// read says nothing of knowledge; an item the context fixes is a knowledge gap even when a sample passes it too.
    /// Answers that merely disagree say nothing: a model guessing at what it cannot know disagrees with itself too.
    /// </summary>
    public FailureCategory? Category =>
        Passed ? null
        : !FormatValid ? FailureCategory.Format
        : PassesWithContext == true ? FailureCategory.KnowledgeGap
        : PassesSometimes == true ? FailureCategory.Inconsistency
        : FailureCategory.CapabilityGap;
}
