namespace AdaptLab.Retrieval.Ingest;

/// <summary>One document's extracted text and its sections (the text under one heading path).</summary>
public sealed record SourceDocument(string Id, string Text, IReadOnlyList<Section> Sections)
{
    public static SourceDocument Whole(string id, string text, string heading = "") => new(id, text, [new Section(heading, 0, text.Length)]);
}

/// <param name="Heading">Outermost heading first, joined by " > ".</param>
public sealed record Section(string Heading, int Start, int Length);
