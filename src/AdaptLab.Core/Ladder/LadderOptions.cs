using AdaptLab.Abstractions;
using AdaptLab.Core.Evaluation;

namespace AdaptLab.Core.Ladder;

/// <param name="All">Measure every rung, not only up to the first that meets the targets.</param>
/// <param name="Resume">Continue the task's newest unfinished study at the rung and item where it stopped.</param>
internal sealed record LadderOptions(
    bool All = false,
    bool Resume = false,
    IProgress<RungUpdate>? Rungs = null,
    IProgress<EvalProgress>? Eval = null,
    IProgress<TrainingProgress>? Training = null,
    IProgress<AdaptLab.Retrieval.Ingest.IngestProgress>? Ingest = null);

/// <summary>A rung (or the probes) starting, measured or skipped, for the one progress view of the climb.</summary>
internal sealed record RungUpdate(string Rung, RungStep Step, string? Reason = null);

/// <summary>What a rung's climb is doing now; the progress views word it with <c>StudyText.Step</c>.</summary>
internal enum RungStep
{
    Training,
    Measuring,
    Measured,
    Skipped,
}
