namespace AdaptLab.Retrieval.Search;

/// <summary>Counts a text's tokens for a retrieval token budget: the model's own tokenizer where it is known.</summary>
/// <param name="Name">What counts, as a retriever's identity records it.</param>
public sealed record TokenCounter(string Name, Func<string, int> Count);
