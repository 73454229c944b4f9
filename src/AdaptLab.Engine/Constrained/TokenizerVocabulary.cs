using AdaptLab.Engine.Generation;

namespace AdaptLab.Engine.Constrained;

/// <summary>A tokenizer as a vocabulary: each token's bytes as it reads mid-text; control tokens are empty.</summary>
internal sealed class TokenizerVocabulary : ITokenVocabulary
{
    private readonly byte[][] bytes;
    private readonly ITokenizer tokenizer;

    public TokenizerVocabulary(ITokenizer tokenizer)
    {
        this.tokenizer = tokenizer;

        // After BOS (or at the start) a piece's leading space is dropped; after any other id it is text.
        var midText = tokenizer.Encode(string.Empty, addBos: true) is [0] ? 1 : 0;
        bytes = [.. Enumerable.Range(0, tokenizer.VocabSize).Select(id => tokenizer.TokenBytes(midText, id))];
    }

    public int Count => bytes.Length;

    public ReadOnlySpan<byte> TokenBytes(int id) => bytes[id];

    public bool EndsText(int id) => tokenizer.EndsText(id);
}
