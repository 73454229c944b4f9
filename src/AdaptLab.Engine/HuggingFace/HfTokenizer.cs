using System.Text;
using System.Text.Json;
using AdaptLab.Engine.Generation;
using AdaptLab.Engine.HuggingFace.Tokenization;

namespace AdaptLab.Engine.HuggingFace;

/// <summary>
/// A Hugging Face tokenizer.json BPE tokenizer: byte-level (GPT-2, Llama 3, Qwen2, SmolLM2) or SentencePiece
/// style with '▁' and byte fallback (Llama 2, Mistral). Encoding follows the tokenizers library: added tokens
/// are cut out first, then each remaining segment is normalized, pre-tokenized and merged.
/// </summary>
public sealed class HfTokenizer : ITokenizer
{
    public const string TokenizerFile = "tokenizer.json";
    public const string TokenizerConfigFile = "tokenizer_config.json";
    public const string GenerationConfigFile = "generation_config.json";

    private readonly Func<string, string> normalize;
    private readonly HfPreTokenizer preTokenizer;
    private readonly BpeModel model;
    private readonly AddedTokens added;
    private readonly string?[] pieces;
    private readonly DecoderRules decoder;
    private readonly HashSet<int> endIds;

    private HfTokenizer(Func<string, string> normalize, HfPreTokenizer preTokenizer, BpeModel model, AddedTokens added, DecoderRules decoder, string? bosToken)
    {
        this.normalize = normalize;
        this.preTokenizer = preTokenizer;
        this.model = model;
        this.added = added;
        this.decoder = decoder;
        VocabSize = Math.Max(model.Vocab.Values.DefaultIfEmpty(-1).Max(), added.Contents.Keys.DefaultIfEmpty(-1).Max()) + 1;
        pieces = new string?[VocabSize];
        foreach (var (piece, id) in model.Vocab)
        {
            pieces[id] = piece;
        }

        endIds = [];
        BosId = bosToken is null ? null : Resolve(bosToken);
    }

    public int VocabSize { get; }

    /// <summary>The id put before the text when encoding with addBos, if the tokenizer adds one.</summary>
    public int? BosId { get; private set; }

    /// <summary>The tokenizer's eos_token (else generation_config.json's first eos_token_id): what a training row ends with.</summary>
    public int? EosId { get; private set; }

    /// <summary>Ids that end generation (generation_config.json's eos_token_id, else the tokenizer's eos_token).</summary>
    public IReadOnlySet<int> EndOfTextIds => endIds;

    /// <summary>
    /// Loads tokenizer.json from <paramref name="directory"/>, with the BOS/EOS settings of tokenizer_config.json
    /// and the stop ids of generation_config.json (or config.json) when present.
    /// </summary>
    public static HfTokenizer Load(string directory)
    {
        var path = Path.Combine(directory, TokenizerFile);
        HfTokenizer tokenizer;
        using (var document = HfJson.Parse(path))
        {
            tokenizer = FromJson(document.RootElement, path);
        }

        var configPath = Path.Combine(directory, TokenizerConfigFile);
        string? eos = null;
        if (File.Exists(configPath))
        {
            using var config = HfJson.Parse(configPath);
            var root = config.RootElement;
            // transformers' Llama tokenizers rebuild the post-processor from add_bos_token.
            if (root.TryGetProperty("add_bos_token", out var add) && add.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                var bos = TokenName(root, "bos_token");
                tokenizer.BosId = add.ValueKind == JsonValueKind.True && bos is not null ? tokenizer.Resolve(bos) : null;
            }

            eos = TokenName(root, "eos_token");
        }

        var stopIds = StopIds(Path.Combine(directory, GenerationConfigFile)) ?? StopIds(Path.Combine(directory, HfCheckpoint.ConfigFile));
        tokenizer.endIds.UnionWith(stopIds ?? (eos is null ? [] : [tokenizer.Resolve(eos)]));
        tokenizer.EosId = eos is not null ? tokenizer.Resolve(eos) : stopIds?.FirstOrDefault();
        return tokenizer;
    }

    public List<int> Encode(string text, bool addBos)
    {
        var ids = new List<int>();
        if (addBos && BosId is { } bos)
        {
            ids.Add(bos);
        }

        var first = true;
        foreach (var (segment, addedId) in added.Split(text))
        {
            if (addedId is { } id)
            {
                ids.Add(id);
            }
            else
            {
                foreach (var word in preTokenizer.Split(normalize(segment), first))
                {
                    model.Encode(word, ids);
                }
            }

            first = false;
        }

        return ids;
    }

    /// <remarks>
    /// At the start, or after BOS, a SentencePiece-style piece's leading space (the one encoding put before the
    /// first word) is dropped, so streamed text reads as <see cref="Decode"/> gives it.
    /// </remarks>
    public byte[] TokenBytes(int previousId, int id) =>
        PieceBytes(id, previousId < 0 || (BosId is { } bos && previousId == bos));

    /// <summary>
    /// The text of <paramref name="ids"/> as the tokenizers library decodes it with skip_special_tokens: special
    /// tokens are dropped before the decoder runs, so the space before the first word is stripped from the text
    /// as a whole, never after a special token in mid-text (Llama 2 decodes "x&lt;s&gt;y"'s ids to "x y").
    /// </summary>
    public string Decode(IReadOnlyList<int> ids)
    {
        var bytes = new List<byte>();
        var first = true;
        foreach (var id in ids)
        {
            if (IsSpecial(id))
            {
                continue;
            }

            bytes.AddRange(PieceBytes(id, atStart: first && decoder.FirstSpace == FirstSpaceKind.FirstPiece));
            first = false;
        }

        var text = Encoding.UTF8.GetString([.. bytes]);
        return decoder.FirstSpace == FirstSpaceKind.WholeText ? decoder.StripWhole(text) : text;
    }

    public bool EndsText(int id) => endIds.Contains(id);

    private bool IsSpecial(int id) =>
        id >= 0 && id < VocabSize ? added.Special.Contains(id) : throw new ArgumentOutOfRangeException(nameof(id), id, $"Token ids run from 0 to {VocabSize - 1}.");

    /// <summary>A token's bytes; <paramref name="atStart"/> drops a SentencePiece-style piece's leading space where the decoder strips it.</summary>
    private byte[] PieceBytes(int id, bool atStart)
    {
        if (IsSpecial(id))
        {
            // Special tokens are markup, not text (skip_special_tokens).
            return [];
        }

        // Added tokens go through the decoder as vocabulary pieces do (Gemma's "▁▁▁▁" reads as four spaces).
        var isAdded = added.Contents.TryGetValue(id, out var content);
        var piece = isAdded ? content! : pieces[id] ?? "";
        if (preTokenizer.IsByteLevel)
        {
            return isAdded ? Encoding.UTF8.GetBytes(piece) : ByteLevelAlphabet.Decode(piece) ?? Encoding.UTF8.GetBytes(piece);
        }

        // A byte piece is its byte where the decoder has ByteFallback; otherwise it stays text, as in the reference.
        if (!isAdded && model.HasByteFallback && decoder.ByteFallback && piece is ['<', '0', 'x', _, _, '>'])
        {
            return [Convert.ToByte(piece[3..5], 16)];
        }

        // At the start, the Metaspace decoder drops every '▁' of the first token; Strip drops one leading space.
        var text = !atStart ? piece.Replace('▁', ' ')
            : decoder.FirstSpace == FirstSpaceKind.FirstPiece ? piece.Replace("▁", "", StringComparison.Ordinal)
            : decoder.FirstSpace == FirstSpaceKind.WholeText && piece.StartsWith('▁') ? piece[1..].Replace('▁', ' ')
            : piece.Replace('▁', ' ');
        return Encoding.UTF8.GetBytes(text);
    }

    private static HfTokenizer FromJson(JsonElement root, string path)
    {
        try
        {
            var model = BpeModel.Parse(root.GetProperty("model"), path);
            var preTokenizer = HfPreTokenizer.Parse(Property(root, "pre_tokenizer"), path);
            return new HfTokenizer(
                HfNormalizer.Parse(Property(root, "normalizer"), path),
                preTokenizer,
                model,
                AddedTokens.Parse(Property(root, "added_tokens"), path),
                ParseDecoder(Property(root, "decoder"), path, preTokenizer.IsByteLevel),
                PostProcessorBos(Property(root, "post_processor"), path));
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"{path} is not a tokenizer.json this engine reads: {e.Message}", e);
        }
    }

    private static JsonElement Property(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value : default;

    /// <summary>
    /// What tokenizer.json's decoder does that shapes the text: how it drops the space a SentencePiece-style
    /// tokenizer puts before the first word, and whether byte pieces become bytes. Without a decoder, byte
    /// pieces are bytes and no space is dropped.
    /// </summary>
    private static DecoderRules ParseDecoder(JsonElement decoder, string path, bool byteLevel)
    {
        var steps = decoder.ValueKind == JsonValueKind.Object && HfTokenizerJson.Type(decoder, path, "decoder") == "Sequence"
            ? decoder.GetProperty("decoders").EnumerateArray().ToList()
            : decoder.ValueKind == JsonValueKind.Object ? [decoder] : [];
        var rule = new DecoderRules(FirstSpaceKind.None, ' ', 0, 0, ByteFallback: steps.Count == 0);
        var fused = false;
        foreach (var step in steps)
        {
            switch (HfTokenizerJson.Type(step, path, "decoder"))
            {
                case "ByteLevel" or "Replace":
                    break;
                case "ByteFallback":
                    rule = rule with { ByteFallback = true };
                    break;
                case "Fuse":
                    fused = true;
                    break;
                case "Strip":
                    // Strip cuts characters off each token; after Fuse there is one token, the whole text.
                    if (!fused)
                    {
                        throw new FormatException($"{path}: a Strip decoder before Fuse (stripping every token) is not supported.");
                    }

                    var content = HfTokenizerJson.String(step, "content", path);
                    rule = rule with
                    {
                        FirstSpace = FirstSpaceKind.WholeText,
                        Content = content.Length == 1 ? content[0] : throw new FormatException($"{path}: Strip's content should be one character."),
                        Start = step.GetProperty("start").GetInt32(),
                        Stop = step.TryGetProperty("stop", out var stop) ? stop.GetInt32() : 0,
                    };
                    break;
                case "Metaspace":
                    // Metaspace drops the leading space of the first token only.
                    if (!step.TryGetProperty("prepend_scheme", out var scheme) || scheme.GetString() != "never")
                    {
                        rule = rule with { FirstSpace = FirstSpaceKind.FirstPiece, Content = ' ', Start = 1, Stop = 0 };
                    }

                    break;
                case var type:
                    throw new FormatException($"{path}: decoder type {type} is not supported.");
            }
        }

        return byteLevel || rule is { FirstSpace: FirstSpaceKind.WholeText, Start: 0, Stop: 0 } ? rule with { FirstSpace = FirstSpaceKind.None } : rule;
    }

    /// <summary>The special token tokenizer.json's post_processor (a TemplateProcessing, perhaps in a Sequence) puts first.</summary>
    private static string? PostProcessorBos(JsonElement processor, string path)
    {
        if (processor.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return HfTokenizerJson.Type(processor, path, "post_processor") switch
        {
            "Sequence" => processor.GetProperty("processors").EnumerateArray().Select(p => PostProcessorBos(p, path)).FirstOrDefault(b => b is not null),
            "TemplateProcessing" => processor.GetProperty("single").EnumerateArray()
                .Select(item => item.TryGetProperty("SpecialToken", out var special) ? special.GetProperty("id").GetString() : null)
                .FirstOrDefault(),
            _ => null,
        };
    }

    /// <summary>A tokenizer_config.json token setting, written either as a string or as {"content": ...}.</summary>
    private static string? TokenName(JsonElement config, string name) =>
        !config.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : value.ValueKind == JsonValueKind.Object && value.TryGetProperty("content", out var content) ? content.GetString()
        : null;

    /// <summary>eos_token_id (one id or a list) from a generation_config.json or config.json; null when the file or field is absent.</summary>
    private static int[]? StopIds(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var document = HfJson.Parse(path);
        if (!document.RootElement.TryGetProperty("eos_token_id", out var eos))
        {
            return null;
        }

        return eos.ValueKind switch
        {
            JsonValueKind.Number => [eos.GetInt32()],
            JsonValueKind.Array => [.. eos.EnumerateArray().Select(e => e.GetInt32())],
            JsonValueKind.Null => null,
            _ => throw new FormatException($"{path}: eos_token_id should be an id or a list of ids."),
        };
    }

    private int Resolve(string token) =>
        added.Ids.TryGetValue(token, out var id) || model.Vocab.TryGetValue(token, out id)
            ? id
            : throw new FormatException($"Token {token} named by the tokenizer configuration is not in the vocabulary.");

    private enum FirstSpaceKind
    {
        None,

        /// <summary>The first decoded token loses its '▁'s (the Metaspace decoder).</summary>
        FirstPiece,

        /// <summary>The fused text loses up to Start leading and Stop trailing Content characters (Fuse, then Strip).</summary>
        WholeText,
    }

    private sealed record DecoderRules(FirstSpaceKind FirstSpace, char Content, int Start, int Stop, bool ByteFallback)
    {
        public string StripWhole(string text)
        {
            var from = 0;
            while (from < Start && from < text.Length && text[from] == Content)
            {
                from++;
            }

            var to = text.Length;
            while (text.Length - to < Stop && to > from && text[to - 1] == Content)
            {
                to--;
            }

            return text[from..to];
        }
    }
}
