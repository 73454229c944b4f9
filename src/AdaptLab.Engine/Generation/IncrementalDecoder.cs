using System.Text;

namespace AdaptLab.Engine.Generation;

/// <summary>Turns generated tokens into text as they come, holding back bytes of an incomplete UTF-8 character.</summary>
internal sealed class IncrementalDecoder(ITokenizer tokenizer, int lastPromptToken)
{
    private readonly Decoder utf8 = Encoding.UTF8.GetDecoder();
    private int previous = lastPromptToken;

    public string Next(int token)
    {
        var bytes = tokenizer.TokenBytes(previous, token);
        previous = token;
        return Decode(bytes, flush: false);
    }

    public string Flush() => Decode([], flush: true);

    private string Decode(byte[] bytes, bool flush)
    {
        var chars = new char[utf8.GetCharCount(bytes, flush)];
        utf8.GetChars(bytes, chars, flush);
        return new string(chars);
    }
}
