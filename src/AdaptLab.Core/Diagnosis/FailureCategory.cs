namespace AdaptLab.Core.Diagnosis;

/// <summary>Why an item failed, found by a controlled experiment rather than guessed from the output's text.</summary>
public enum FailureCategory
{
    /// <summary>The output broke the expected form (no label of the set, invalid JSON, a schema violation).</summary>
    Format,

    /// <summary>Closed-book it fails; with the gold context (or the retrieved one) in the prompt it passes.</summary>
    KnowledgeGap,

    /// <summary>The model's answers disagree across samples at temperature above 0 or across paraphrased instructions.</summary>
    Inconsistency,

    /// <summary>Valid, stable and wrong even with the context: a capability the model lacks.</summary>
    ConsistentError,
}
