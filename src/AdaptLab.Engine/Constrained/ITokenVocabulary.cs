namespace AdaptLab.Engine.Constrained;

/// <summary>
/// What constrained decoding needs from a tokenizer: the bytes each token adds to the text, and which tokens
/// end it. Any tokenizer (llama2.c's, a Hugging Face tokenizer.json) can provide this.
/// </summary>
public interface ITokenVocabulary
{
    int Count { get; }

    /// <summary>The UTF-8 bytes token <paramref name="id"/> adds in the middle of a text; empty for control tokens.</summary>
    ReadOnlySpan<byte> TokenBytes(int id);

    /// <summary>Whether generation stops at this token (end of sequence).</summary>
    bool EndsText(int id);
}
