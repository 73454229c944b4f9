using System.Text;
using System.Text.Json;

namespace AdaptLab.Engine.HuggingFace.Tokenization;

/// <summary>
/// tokenizer.json's pre_tokenizer: splits normalized text into the words BPE runs on, each already in the
/// vocabulary's alphabet (byte-level characters, or '▁' for spaces). Supports Split (a regex or a literal, every
/// behaviour, invert), ByteLevel, Metaspace and Sequence; each step refines every piece the previous step produced.
/// </summary>
internal sealed class HfPreTokenizer
{
    // GPT-2's pattern, which ByteLevel applies when use_regex is true.
    private const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private readonly List<Func<string, bool, IEnumerable<string>>> steps;

    private HfPreTokenizer(List<Func<string, bool, IEnumerable<string>>> steps) => this.steps = steps;

    /// <summary>Whether the words come out in GPT-2's byte-level alphabet.</summary>
    public bool IsByteLevel { get; private init; }

    public static HfPreTokenizer Parse(JsonElement spec, string path)
    {
        var steps = new List<Func<string, bool, IEnumerable<string>>>();
        var byteLevel = false;
        foreach (var step in Flatten(spec, path))
        {
            var type = HfTokenizerJson.Type(step, path, "pre_tokenizer");
            switch (type)
            {
                case "Split":
                    steps.Add(SplitStep(step, path));
                    break;
                case "ByteLevel":
                    steps.Add(ByteLevelStep(step));
                    byteLevel = true;
                    break;
                case "Metaspace":
                    steps.Add(MetaspaceStep(step, path));
                    break;
                default:
                    throw new FormatException($"{path}: pre_tokenizer type {type} is not supported (Split, ByteLevel, Metaspace, Sequence).");
            }
        }

        return new HfPreTokenizer(steps) { IsByteLevel = byteLevel };
    }

    /// <summary>The words of one text segment; <paramref name="isFirst"/> marks the segment that starts the input.</summary>
    public IEnumerable<string> Split(string text, bool isFirst) =>
        steps.Aggregate<Func<string, bool, IEnumerable<string>>, IEnumerable<string>>(
            text.Length == 0 ? [] : [text],
            (pieces, step) => pieces.SelectMany(p => step(p, isFirst)).Where(p => p.Length > 0).ToList());

    private static IEnumerable<JsonElement> Flatten(JsonElement spec, string path)
    {
        if (spec.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        return HfTokenizerJson.Type(spec, path, "pre_tokenizer") == "Sequence"
            ? spec.GetProperty("pretokenizers").EnumerateArray().SelectMany(s => Flatten(s, path)).ToList()
            : [spec];
    }

    /// <summary>
    /// A Split step as Hugging Face's: the text is cut into matches of the pattern and the runs between them
    /// (with <c>invert</c>, the runs count as the matches), then the behaviour says what a match becomes.
    /// </summary>
    private static Func<string, bool, IEnumerable<string>> SplitStep(JsonElement spec, string path)
    {
        var behavior = HfTokenizerJson.String(spec, "behavior", path);
        if (behavior is not ("Removed" or "Isolated" or "MergedWithPrevious" or "MergedWithNext" or "Contiguous"))
        {
            throw new FormatException(
                $"{path}: Split pre_tokenizer behavior {behavior} is unknown (Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous).");
        }

        var invert = spec.TryGetProperty("invert", out var flag) && flag.ValueKind == JsonValueKind.True;
        var pattern = spec.GetProperty("pattern");
        CodePointRegex? regex;
        if (pattern.TryGetProperty("Regex", out var r))
        {
            regex = new CodePointRegex(r.GetString()!);
        }
        else
        {
            // An empty literal matches nothing in Hugging Face's implementation.
            var literal = HfTokenizerJson.LiteralPattern(spec, path);
            regex = literal.Length == 0 ? null : new CodePointRegex(System.Text.RegularExpressions.Regex.Escape(literal));
        }

        return (text, _) => SplitBy(text, Segments(text, regex, invert), behavior);
    }

    /// <summary>The matches and the runs between them, in order and flagged, as tokenizers' Pattern::find_matches gives them.</summary>
    private static List<(int Start, int End, bool IsMatch)> Segments(string text, CodePointRegex? regex, bool invert)
    {
        var segments = new List<(int Start, int End, bool IsMatch)>();
        var previous = 0;
        foreach (var (start, length) in regex?.Matches(text) ?? [])
        {
            if (start != previous)
            {
                segments.Add((previous, start, invert));
            }

            segments.Add((start, start + length, !invert));
            previous = start + length;
        }

        if (previous != text.Length || segments.Count == 0)
        {
            segments.Add((previous, text.Length, invert));
        }

        return segments;
    }

    /// <summary>The pieces a behaviour makes of the flagged segments (tokenizers' NormalizedString::split).</summary>
    private static List<string> SplitBy(string text, List<(int Start, int End, bool IsMatch)> segments, string behavior)
    {
        var pieces = new List<(int Start, int End)>();
        var previousMatch = false;
        switch (behavior)
        {
            case "Removed":
                pieces.AddRange(segments.Where(s => !s.IsMatch).Select(s => (s.Start, s.End)));
                break;
            case "Isolated":
                pieces.AddRange(segments.Select(s => (s.Start, s.End)));
                break;
            case "Contiguous":
                // Consecutive matches become one piece.
                foreach (var (start, end, isMatch) in segments)
                {
                    if (isMatch == previousMatch && pieces.Count > 0)
                    {
                        pieces[^1] = (pieces[^1].Start, end);
                    }
                    else
                    {
                        pieces.Add((start, end));
                    }

                    previousMatch = isMatch;
                }

                break;
            case "MergedWithPrevious":
                // A match joins the piece before it, unless that piece is a match itself.
                foreach (var (start, end, isMatch) in segments)
                {
                    if (isMatch && !previousMatch && pieces.Count > 0)
                    {
                        pieces[^1] = (pieces[^1].Start, end);
                    }
                    else
                    {
                        pieces.Add((start, end));
                    }

                    previousMatch = isMatch;
                }

                break;
            default: // MergedWithNext: the mirror image, a match joins the piece after it.
                for (var i = segments.Count - 1; i >= 0; i--)
                {
                    var (start, end, isMatch) = segments[i];
                    if (isMatch && !previousMatch && pieces.Count > 0)
                    {
                        pieces[^1] = (start, pieces[^1].End);
                    }
                    else
                    {
                        pieces.Add((start, end));
                    }

                    previousMatch = isMatch;
                }

                pieces.Reverse();
                break;
        }

        return [.. pieces.Select(p => text[p.Start..p.End])];
    }

    private static Func<string, bool, IEnumerable<string>> ByteLevelStep(JsonElement spec)
    {
        var addPrefixSpace = spec.TryGetProperty("add_prefix_space", out var a) && a.GetBoolean();
        var regex = !spec.TryGetProperty("use_regex", out var u) || u.GetBoolean() ? new CodePointRegex(Gpt2Pattern) : null;
        return (text, _) =>
        {
            var prefixed = addPrefixSpace && !text.StartsWith(' ') ? " " + text : text;
            var pieces = regex is null ? [prefixed] : Isolate(prefixed, regex);
            return pieces.Select(p => ByteLevelAlphabet.Encode(Encoding.UTF8.GetBytes(p)));
        };
    }

    /// <summary>
    /// Spaces become the replacement character, which is also prepended (always, or only to the input's first
    /// segment); with split, each word then starts at a replacement character.
    /// </summary>
    private static Func<string, bool, IEnumerable<string>> MetaspaceStep(JsonElement spec, string path)
    {
        var replacement = HfTokenizerJson.String(spec, "replacement", path);
        var scheme = spec.TryGetProperty("prepend_scheme", out var s) ? s.GetString() : "always";
        var split = !spec.TryGetProperty("split", out var sp) || sp.GetBoolean();
        if (scheme is not ("always" or "first" or "never"))
        {
            throw new FormatException($"{path}: Metaspace prepend_scheme {scheme} is not supported.");
        }

        return (text, isFirst) =>
        {
            var replaced = text.Replace(" ", replacement, StringComparison.Ordinal);
            var prepend = scheme == "always" || (scheme == "first" && isFirst);
            if (prepend && !replaced.StartsWith(replacement, StringComparison.Ordinal))
            {
                replaced = replacement + replaced;
            }

            return split ? SplitBefore(replaced, replacement) : [replaced];
        };
    }

    /// <summary>The matches and the text between them, in order (HF's Isolated behaviour).</summary>
    private static List<string> Isolate(string text, CodePointRegex regex)
    {
        var pieces = new List<string>();
        var end = 0;
        foreach (var (start, length) in regex.Matches(text))
        {
            pieces.Add(text[end..start]);
            pieces.Add(text.Substring(start, length));
            end = start + length;
        }

        pieces.Add(text[end..]);
        return pieces;
    }

    private static List<string> SplitBefore(string text, string marker)
    {
        var pieces = new List<string>();
        var start = 0;
        for (var i = text.IndexOf(marker, 1, StringComparison.Ordinal); i > 0; i = text.IndexOf(marker, i + marker.Length, StringComparison.Ordinal))
        {
            pieces.Add(text[start..i]);
            start = i;
        }

        pieces.Add(text[start..]);
        return pieces;
    }
}
