namespace AdaptLab.Core.Evaluation;

/// <param name="Resume">Continue the newest unfinished run of this task file instead of starting a new one.</param>
/// <param name="UseCache">Answer repeated identical calls from the store's response cache.</param>
/// <param name="Variants">Only these variants (all when null).</param>
/// <param name="ItemIds">Only these test items of the sampled split (all when null): <c>refine</c> re-runs failures and a regression sample.</param>
/// <param name="RunId">Continue this run (the ladder's, which climbs one rung at a time), whatever else is unfinished.</param>
/// <param name="Started">Told the run's id before the first model call.</param>
/// <param name="Ingest">Reports the corpus ingest that brings the index up to date before the first call.</param>
/// <param name="RegisterAll">A new run holds every variant of the task, though only <paramref name="Variants"/> run now (the ladder adds
/// its rungs one at a time); otherwise it holds the variants that run, and completes when they are answered.</param>
internal sealed record EvalOptions(
    bool Resume = false, bool UseCache = true, IReadOnlyList<string>? Variants = null, IReadOnlySet<string>? ItemIds = null,
    IProgress<AdaptLab.Retrieval.Ingest.IngestProgress>? Ingest = null, string? RunId = null, Action<string>? Started = null, bool RegisterAll = false);
