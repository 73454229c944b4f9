using System.Text;

namespace AdaptLab.Metrics;

/// <summary>Normalisation applied to both sides before a string comparison.</summary>
public sealed record TextNormalization(
    bool Trim = true,
    bool IgnoreCase = false,
    bool CollapseWhitespace = false,
    bool StripPunctuation = false)
{
    public static readonly TextNormalization Strict = new();

    public static readonly TextNormalization Loose = new(Trim: true, IgnoreCase: true, CollapseWhitespace: true, StripPunctuation: true);

    public string Apply(string text)
    {
        var s = text;
        if (IgnoreCase)
        {
            s = s.ToLowerInvariant();
        }

        if (StripPunctuation)
        {
            var sb = new StringBuilder(s.Length);
            foreach (var c in s)
            {
                if (!char.IsPunctuation(c))
                {
                    sb.Append(c);
                }
            }

            s = sb.ToString();
        }

        if (CollapseWhitespace)
        {
            s = string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        }

        return Trim ? s.Trim() : s;
    }
}
