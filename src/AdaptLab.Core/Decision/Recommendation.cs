namespace AdaptLab.Core.Decision;

internal enum Outcome
{
    PromptingIsEnough,
    AddRag,
    FineTune,
    FineTuneAndRag,
    NoneMeetsTargets,
}

/// <summary>What to do, the rung it points to, the numbers it rests on and what would change it.</summary>
/// <param name="Rung">The rung recommended (for <see cref="Outcome.NoneMeetsTargets"/>, the best one measured).</param>
internal sealed record Recommendation(Outcome Outcome, string? Rung, string Summary, IReadOnlyList<string> Evidence, IReadOnlyList<string> WouldChange)
{
    public static string Words(Outcome outcome) => outcome switch
    {
        Outcome.PromptingIsEnough => "prompting is enough",
        Outcome.AddRag => "add RAG",
        Outcome.FineTune => "fine-tune",
        Outcome.FineTuneAndRag => "fine-tune + RAG",
        Outcome.NoneMeetsTargets => "none meets the targets yet",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };
}
