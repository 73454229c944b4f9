namespace AdaptLab.Retrieval;

/// <summary>A retrievable piece of a corpus.</summary>
/// <param name="Id">Unique in the corpus: the source id and the chunk's number in it, e.g. <c>guide.md#3</c>.</param>
/// <param name="Source">The document it comes from: a file's path in the corpus, or a record's id.</param>
/// <param name="Heading">The headings above it, outermost first, joined by " > "; empty where the document has none.</param>
/// <param name="Start">Its first character in the document's extracted text.</param>
/// <param name="End">One past its last character.</param>
/// <param name="Tokens">Its length in o200k_base tokens (the chunker's unit).</param>
public sealed record Chunk(string Id, string Source, string Text, string Heading = "", int Start = 0, int End = 0, int Tokens = 0);

/// <summary>A chunk found for a query, best first; higher scores are better.</summary>
public sealed record SearchHit(string ChunkId, double Score);

/// <summary>A chunk as a retriever returns it: the chunk, its score under the retriever's method and its rank from 1.</summary>
public sealed record RetrievedChunk(Chunk Chunk, double Score, int Rank);
