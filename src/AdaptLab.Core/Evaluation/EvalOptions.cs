namespace AdaptLab.Core.Evaluation;

/// <param name="Resume">Continue the newest unfinished run of this task file instead of starting a new one.</param>
/// <param name="UseCache">Answer repeated identical calls from the store's response cache.</param>
/// <param name="Variants">Only these variants (all when null).</param>
public sealed record EvalOptions(bool Resume = false, bool UseCache = true, IReadOnlyList<string>? Variants = null);
