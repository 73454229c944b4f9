namespace AdaptLab.Retrieval;

/// <summary>A retrievable piece of a corpus: its id, the document it comes from, its text.</summary>
public sealed record Chunk(string Id, string Source, string Text);

/// <summary>A chunk found for a query, best first; higher scores are better.</summary>
public sealed record SearchHit(string ChunkId, double Score);
