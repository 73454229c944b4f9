namespace AdaptLab.Engine.ChatTemplates.Jinja;

/// <summary>
/// JavaScript's notion of white space and trimming, which differs from .NET's (U+FEFF is white space there,
/// U+0085 is not): the reference renderer, @huggingface/jinja, runs on it.
/// </summary>
internal static class JsText
{
    public static bool IsWhiteSpace(char c) => c switch
    {
        '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or '\u00A0' or '\u1680' or '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000' or '\uFEFF' => true,
        >= '\u2000' and <= '\u200A' => true,
        _ => false,
    };

    public static bool IsWordChar(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_';

    public static string Trim(string s) => TrimEnd(TrimStart(s));

    public static string TrimStart(string s)
    {
        var start = 0;
        while (start < s.Length && IsWhiteSpace(s[start]))
        {
            start++;
        }

        return s[start..];
    }

    public static string TrimEnd(string s)
    {
        var end = s.Length;
        while (end > 0 && IsWhiteSpace(s[end - 1]))
        {
            end--;
        }

        return s[..end];
    }
}
