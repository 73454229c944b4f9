namespace AdaptLab.Core.Tasks;

/// <summary>An LLM-as-judge metric of the task file's <c>judges</c> section.</summary>
/// <param name="RubricPath">The grading instructions, a text file.</param>
/// <param name="Min">Pointwise: the lowest score.</param>
/// <param name="Max">Pointwise: the highest score.</param>
/// <param name="PairwiseBaseline">Pairwise: the variant every other is compared with; null for a pointwise judge.</param>
/// <param name="Repeats">Verdicts per output; two or more give the judge's self-agreement.</param>
/// <param name="Seed">Seeds which output of a pair is shown first, per item.</param>
internal sealed record JudgeSpec(string Name, string ModelName, ModelSpec Model, string RubricPath, double Min, double Max, string? PairwiseBaseline, int Repeats, float Temperature, int Seed);
