using Microsoft.ML.Tokenizers;

namespace AdaptLab.Retrieval.Ingest;

/// <summary>
/// Cuts each section of a document into windows of at most <see cref="CorpusSource.ChunkTokens"/> o200k_base
/// tokens (GPT-4o's tokenizer: a model-independent unit close to what chat models count), each window repeating
/// the last <see cref="CorpusSource.OverlapTokens"/> of the one before. No chunk crosses a heading.
/// </summary>
public sealed class TokenChunker
{
    public const string TokenizerName = "o200k_base";

    private static readonly Lazy<Tokenizer> O200k = new(() => TiktokenTokenizer.CreateForModel("gpt-4o"));

    private readonly int size;
    private readonly int step;

    public TokenChunker(int size, int overlap)
    {
        if (size < 1 || overlap < 0 || overlap >= size)
        {
            throw new ArgumentException($"chunks of {size} tokens with {overlap} overlapping: the size must be at least 1 and the overlap under it");
        }

        this.size = size;
        step = size - overlap;
    }

    /// <summary>The number of o200k_base tokens in <paramref name="text"/>.</summary>
    public static int Count(string text) => O200k.Value.CountTokens(text);

    /// <summary>The longest start of <paramref name="text"/> that is at most <paramref name="maxTokens"/> o200k_base tokens.</summary>
    public static string Truncate(string text, int maxTokens) =>
        text[..O200k.Value.GetIndexByTokenCount(text, maxTokens, out _, out _)];

    public IEnumerable<Chunk> Split(SourceDocument document)
    {
        var number = 0;
        foreach (var section in document.Sections)
        {
            var text = document.Text.Substring(section.Start, section.Length);
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var tokens = O200k.Value.EncodeToTokens(text, out _, considerPreTokenization: true, considerNormalization: false);
            for (var first = 0; first < tokens.Count; first += step)
            {
                var last = Math.Min(first + size, tokens.Count) - 1;
                var start = tokens[first].Offset.Start.GetOffset(text.Length);
                var end = tokens[last].Offset.End.GetOffset(text.Length);
                var piece = text[start..end].Trim();
                if (piece.Length > 0)
                {
                    yield return new Chunk($"{document.Id}#{number++}", document.Id, piece, section.Heading,
                        section.Start + start, section.Start + end, last - first + 1);
                }

                if (last == tokens.Count - 1)
                {
                    break;
                }
            }
        }
    }
}
