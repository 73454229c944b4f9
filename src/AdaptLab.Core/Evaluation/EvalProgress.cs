namespace AdaptLab.Core.Evaluation;

/// <param name="Done">Items of this variant with a stored prediction, including those from before a resume.</param>
internal sealed record EvalProgress(string Variant, int Done, int Total, int Errors);
