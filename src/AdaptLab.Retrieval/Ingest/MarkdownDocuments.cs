using Markdig;
using Markdig.Syntax;

namespace AdaptLab.Retrieval.Ingest;

/// <summary>
/// Markdown as written (its syntax reads well to a model), cut into sections at its headings with Markdig, so
/// each chunk knows the headings above it and headings inside code blocks are not taken for real ones.
/// </summary>
internal static class MarkdownDocuments
{
    public static SourceDocument Read(string id, string text)
    {
        var headings = Markdown.Parse(text).Descendants<HeadingBlock>().ToList();
        var sections = new List<Section>();
        var path = new List<(int Level, string Title)>();
        var start = 0;
        foreach (var heading in headings)
        {
            sections.Add(new Section(Join(path), start, heading.Span.Start - start));
            path.RemoveAll(p => p.Level >= heading.Level);
            path.Add((heading.Level, Title(text, heading)));
            start = Math.Min(text.Length, heading.Span.End + 1);
        }

        sections.Add(new Section(Join(path), start, text.Length - start));
        return new SourceDocument(id, text, sections);
    }

    private static string Title(string text, HeadingBlock heading)
    {
        var firstLine = text.Substring(heading.Span.Start, heading.Span.Length).Split('\n')[0].Trim();
        return firstLine.TrimStart('#').TrimEnd('#').Trim();
    }

    private static string Join(List<(int Level, string Title)> path) => string.Join(" > ", path.Select(p => p.Title));
}
