namespace AdaptLab.Core.Diagnosis;

/// <summary>Why an item failed, found by a controlled experiment rather than guessed from the output's text.</summary>
internal enum FailureCategory
{
    /// <summary>The output broke the expected form (no label of the set, invalid JSON, a schema violation).</summary>
    Format,

    /// <summary>Closed-book it fails; with the gold context (or the retrieved one) in the prompt it passes.</summary>
    KnowledgeGap,

    /// <summary>The reply fails, yet a sample at temperature or a paraphrased instruction passes: the model can answer, not reliably.</summary>
    Inconsistency,

    /// <summary>Valid and wrong, and no experiment passes it, with or without the context: a capability the model lacks.</summary>
    CapabilityGap,
}
