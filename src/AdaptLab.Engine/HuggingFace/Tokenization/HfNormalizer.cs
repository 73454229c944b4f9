using System.Text;
using System.Text.Json;

namespace AdaptLab.Engine.HuggingFace.Tokenization;

/// <summary>tokenizer.json's normalizer: NFC, NFKC, Prepend, Replace (a literal string) or a Sequence of them.</summary>
internal static class HfNormalizer
{
    public static Func<string, string> Parse(JsonElement spec, string path)
    {
        if (spec.ValueKind == JsonValueKind.Null)
        {
            return text => text;
        }

        var type = HfTokenizerJson.Type(spec, path, "normalizer");
        switch (type)
        {
            case "NFC":
                return text => text.Normalize(NormalizationForm.FormC);
            case "NFKC":
                return text => text.Normalize(NormalizationForm.FormKC);
            case "Prepend":
                var prefix = HfTokenizerJson.String(spec, "prepend", path);
                return text => text.Length == 0 ? text : prefix + text;
            case "Replace":
                var pattern = HfTokenizerJson.LiteralPattern(spec, path);
                var content = HfTokenizerJson.String(spec, "content", path);
                return text => text.Replace(pattern, content, StringComparison.Ordinal);
            case "Sequence":
                var steps = spec.GetProperty("normalizers").EnumerateArray().Select(s => Parse(s, path)).ToList();
                return text => steps.Aggregate(text, (current, step) => step(current));
            default:
                throw new FormatException($"{path}: normalizer type {type} is not supported (NFC, NFKC, Prepend, Replace, Sequence).");
        }
    }
}
