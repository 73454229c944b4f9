using AdaptLab.Engine.LlamaC;

namespace AdaptLab.Engine.Constrained;

/// <summary>llama2.c's tokenizer as a vocabulary: pieces and byte-fallback tokens, control tokens empty.</summary>
internal sealed class LlamaCVocabulary : ITokenVocabulary
{
    private readonly byte[][] bytes;

    public LlamaCVocabulary(LlamaCTokenizer tokenizer)
    {
        // Any id other than BOS as the previous token gives the piece as it reads mid-text.
        bytes = [.. Enumerable.Range(0, tokenizer.VocabSize).Select(id => tokenizer.TokenBytes(LlamaCTokenizer.EosId, id))];
    }

    public int Count => bytes.Length;

    public ReadOnlySpan<byte> TokenBytes(int id) => bytes[id];

    public bool EndsText(int id) => LlamaCTokenizer.EndsText(id);
}
