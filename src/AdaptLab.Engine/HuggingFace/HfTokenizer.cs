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
    private readonly bool stripFirstSpace;
    private readonly HashSet<int> endIds;

    private HfTokenizer(Func<string, string> normalize, HfPreTokenizer preTokenizer, BpeModel model, AddedTokens added, bool stripFirstSpace, string? bosToken)
    {
        this.normalize = normalize;
        this.preTokenizer = preTokenizer;
        this.model = model;
        this.added = added;
        this.stripFirstSpace = stripFirstSpace;
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

    public byte[] TokenBytes(int previousId, int id)
    {
        if (id < 0 || id >= VocabSize)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"Token ids run from 0 to {VocabSize - 1}.");
        }

        if (added.Contents.TryGetValue(id, out var content))
        {
            // Special tokens are markup, not text (skip_special_tokens); other added tokens are text.
            return added.Special.Contains(id) ? [] : Encoding.UTF8.GetBytes(content);
        }

        var piece = pieces[id] ?? "";
        if (preTokenizer.IsByteLevel)
        {
            return ByteLevelAlphabet.Decode(piece) ?? Encoding.UTF8.GetBytes(piece);
        }

        if (model.HasByteFallback && piece is ['<', '0', 'x', _, _, '>'])
        {
            return [Convert.ToByte(piece[3..5], 16)];
        }

        var text = piece.Replace('▁', ' ');
        var atStart = previousId < 0 || (BosId is { } bos && previousId == bos);
        return Encoding.UTF8.GetBytes(stripFirstSpace && atStart && text.StartsWith(' ') ? text[1..] : text);
    }

    public string Decode(IReadOnlyList<int> ids)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < ids.Count; i++)
        {
            bytes.AddRange(TokenBytes(i == 0 ? -1 : ids[i - 1], ids[i]));
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    public bool EndsText(int id) => endIds.Contains(id);

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
                StripsFirstSpace(Property(root, "decoder"), path, preTokenizer.IsByteLevel),
                PostProcessorBos(Property(root, "post_processor"), path));
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"{path} is not a tokenizer.json this engine reads: {e.Message}", e);
        }
    }

    private static JsonElement Property(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value : default;

    /// <summary>Whether decoding drops the space a SentencePiece-style tokenizer puts before the first word.</summary>
    private static bool StripsFirstSpace(JsonElement decoder, string path, bool byteLevel)
    {
        var types = decoder.ValueKind == JsonValueKind.Object && HfTokenizerJson.Type(decoder, path, "decoder") == "Sequence"
            ? decoder.GetProperty("decoders").EnumerateArray().ToList()
            : decoder.ValueKind == JsonValueKind.Object ? [decoder] : [];
        foreach (var step in types)
        {
            var type = HfTokenizerJson.Type(step, path, "decoder");
            if (type is not ("ByteLevel" or "Replace" or "ByteFallback" or "Fuse" or "Strip" or "Metaspace"))
            {
                throw new FormatException($"{path}: decoder type {type} is not supported.");
            }
        }

        return !byteLevel && types.Any(step => HfTokenizerJson.Type(step, path, "decoder") switch
        {
            "Strip" => step.GetProperty("start").GetInt32() > 0,
            "Metaspace" => !step.TryGetProperty("prepend_scheme", out var scheme) || scheme.GetString() != "never",
            _ => false,
        });
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
}
