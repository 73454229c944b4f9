namespace AdaptLab.Engine.HuggingFace.Tokenization;

/// <summary>
/// GPT-2's reversible byte-to-character table, which byte-level BPE vocabularies are written in: printable
/// Latin-1 bytes stand for themselves, the other 68 bytes for U+0100 onwards in byte order (space is 'Ġ').
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = BuildTable();
    private static readonly Dictionary<char, byte> CharToByte =
        ByteToChar.Select((c, b) => (c, b)).ToDictionary(p => p.c, p => (byte)p.b);

    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            chars[i] = ByteToChar[bytes[i]];
        }

        return new string(chars);
    }

    /// <summary>The bytes a vocabulary entry stands for; null when it is not written in this alphabet.</summary>
    public static byte[]? Decode(string token)
    {
        var bytes = new byte[token.Length];
        for (var i = 0; i < token.Length; i++)
        {
            if (!CharToByte.TryGetValue(token[i], out bytes[i]))
            {
                return null;
            }
        }

        return bytes;
    }

    private static char[] BuildTable()
    {
        static bool Printable(int b) => b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
        var table = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            table[b] = (char)(Printable(b) ? b : next++);
        }

        return table;
    }
}
