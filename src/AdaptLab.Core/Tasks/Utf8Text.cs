using System.Text;

namespace AdaptLab.Core.Tasks;

/// <summary>Reads a text file as strict UTF-8, so bytes that are not UTF-8 are named by line instead of becoming U+FFFD.</summary>
internal static class Utf8Text
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <exception cref="InvalidUtf8Exception">The file holds bytes that are not UTF-8.</exception>
    public static string Read(string file)
    {
        var bytes = File.ReadAllBytes(file);
        try
        {
            var text = Strict.GetString(bytes);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (DecoderFallbackException e)
        {
            var at = e.Index >= 0 ? e.Index : 0;
            throw new InvalidUtf8Exception(1 + bytes.AsSpan(0, Math.Min(at, bytes.Length)).Count((byte)'\n'));
        }
    }

    internal sealed class InvalidUtf8Exception(int line) : Exception($"line {line} is not UTF-8")
    {
        public int Line { get; } = line;
    }
}
