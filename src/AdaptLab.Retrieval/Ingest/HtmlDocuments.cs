using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace AdaptLab.Retrieval.Ingest;

/// <summary>
/// The visible text of an HTML page (parsed by AngleSharp as a browser would), one line per block, cut into
/// sections at its h1–h6 headings. Scripts, styles and the head are left out.
/// </summary>
internal static class HtmlDocuments
{
    private static readonly HashSet<string> Hidden = new(StringComparer.OrdinalIgnoreCase) { "script", "style", "noscript", "template", "head", "svg" };

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "li", "ul", "ol", "tr", "table", "br", "pre", "blockquote", "section", "article", "header", "footer", "main",
        "aside", "nav", "dd", "dt", "dl", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6",
    };

    public static SourceDocument Read(string id, string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        var walker = new Walker();
        walker.Visit(document.Body ?? (INode)document.DocumentElement, preformatted: false);
        walker.EndSection();
        return new SourceDocument(id, walker.Text.ToString(), walker.Sections);
    }

    private sealed class Walker
    {
        private readonly List<(int Level, string Title)> path = [];
        private int sectionStart;

        public StringBuilder Text { get; } = new();

        public List<Section> Sections { get; } = [];

        public void Visit(INode node, bool preformatted)
        {
            foreach (var child in node.ChildNodes)
            {
                switch (child)
                {
                    case IText text:
                        Append(preformatted ? text.Data : Collapse(text.Data));
                        break;
                    case IElement element when Hidden.Contains(element.LocalName):
                        break;
                    case IElement element when element.LocalName.Length == 2 && element.LocalName[0] == 'h' && char.IsAsciiDigit(element.LocalName[1]):
                        EndSection();
                        var level = element.LocalName[1] - '0';
                        path.RemoveAll(p => p.Level >= level);
                        path.Add((level, Collapse(element.TextContent).Trim()));
                        break;
                    case IElement element:
                        var block = Blocks.Contains(element.LocalName);
                        if (block)
                        {
                            NewLine();
                        }

                        Visit(element, preformatted || element.LocalName == "pre");
                        if (block)
                        {
                            NewLine();
                        }

                        break;
                }
            }
        }

        public void EndSection()
        {
            Sections.Add(new Section(string.Join(" > ", path.Select(p => p.Title)), sectionStart, Text.Length - sectionStart));
            NewLine();
            sectionStart = Text.Length;
        }

        private void Append(string text)
        {
            if (Text.Length > 0 && Text[^1] == '\n')
            {
                text = text.TrimStart();
            }

            Text.Append(text);
        }

        private void NewLine()
        {
            if (Text.Length > 0 && Text[^1] != '\n')
            {
                Text.Append('\n');
            }
        }

        private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)) is var words && words.Length == 0
            ? (text.Length > 0 ? " " : string.Empty)
            : (char.IsWhiteSpace(text[0]) ? " " : string.Empty) + words + (char.IsWhiteSpace(text[^1]) ? " " : string.Empty);
    }
}
