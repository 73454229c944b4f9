namespace AdaptLab.Engine.Generation;

/// <summary>What generation needs from a tokenizer: text to ids, ids back to bytes, and which ids end the text.</summary>
public interface ITokenizer
{
    int VocabSize { get; }

    /// <summary>Token ids for <paramref name="text"/>, after the model's beginning-of-sequence token when it has one and <paramref name="addBos"/>.</summary>
    List<int> Encode(string text, bool addBos);

    /// <summary>The UTF-8 bytes token <paramref name="id"/> stands for when it follows <paramref name="previousId"/> (-1 at the start).</summary>
    byte[] TokenBytes(int previousId, int id);

    string Decode(IReadOnlyList<int> ids);

    /// <summary>Whether generation ends at this token.</summary>
    bool EndsText(int id);
}
