using System.Text.RegularExpressions;
using AdaptLab.Engine.HuggingFace;
using AdaptLab.Engine.LlamaC;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Gguf;

/// <summary>
/// A local model as GGUF for llama.cpp and Ollama ("llama" architecture): the weights in F32, F16 or Q8_0 (norms stay
/// F32; a matrix whose rows do not split into Q8_0's blocks of 32 falls back to F16, as llama.cpp's quantizer does), the
/// hyper-parameters, and the vocabulary: llama2.c's SentencePiece pieces with their scores and token types, or a Hugging
/// Face byte-level BPE tokenizer (<see cref="GgufByteLevelVocabulary"/>). q and k keep Meta's row order, which is the one
/// llama.cpp's rotary embedding expects (the engine reorders a Hugging Face checkpoint's rows to it when loading).
/// </summary>
internal static partial class GgufExport
{
    public static IReadOnlyDictionary<string, GgmlType> Types { get; } = new Dictionary<string, GgmlType>
    {
        ["f32"] = GgmlType.F32,
        ["f16"] = GgmlType.F16,
        ["q8_0"] = GgmlType.Q8_0,
    };

    // llama.cpp's llama_ftype: the file's dominant tensor type.
    private static readonly Dictionary<GgmlType, uint> FileTypes = new() { [GgmlType.F32] = 0, [GgmlType.F16] = 1, [GgmlType.Q8_0] = 7 };

    private static readonly Dictionary<string, string> LayerParts = new()
    {
        ["attention_norm"] = "attn_norm",
        ["attention.wq"] = "attn_q",
        ["attention.wk"] = "attn_k",
        ["attention.wv"] = "attn_v",
        ["attention.wo"] = "attn_output",
        ["ffn_norm"] = "ffn_norm",
        ["feed_forward.w1"] = "ffn_gate",
        ["feed_forward.w2"] = "ffn_down",
        ["feed_forward.w3"] = "ffn_up",
    };

    /// <summary>Writes the model at <paramref name="modelPath"/> (anything <see cref="LocalModel.Open"/> opens) to <paramref name="outputPath"/>.</summary>
    /// <returns>The type each tensor was stored as, by GGUF name.</returns>
    /// <exception cref="NotSupportedException">The model's tokenizer or shape has no GGUF export yet.</exception>
    public static IReadOnlyDictionary<string, GgmlType> Write(string modelPath, string outputPath, GgmlType type)
    {
        using var client = LocalModel.Open(modelPath);
        var model = client.Generator.Model;
        var config = model.Config;
        if (config.AttentionBias || config.RopeScaling is not null)
        {
            throw new NotSupportedException("GGUF export covers plain Llama shapes (no attention biases or rope scaling) so far");
        }

        var gguf = new GgufWriter();
        gguf.Add("general.architecture", "llama");
        gguf.Add("general.name", Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(modelPath))));
        gguf.Add("general.file_type", FileTypes[type]);
        gguf.Add("general.alignment", (uint)GgufWriter.Alignment);
        gguf.Add("llama.context_length", (uint)config.MaxSeqLen);
        gguf.Add("llama.embedding_length", (uint)config.Dim);
        gguf.Add("llama.block_count", (uint)config.Layers);
        gguf.Add("llama.feed_forward_length", (uint)config.HiddenDim);
        gguf.Add("llama.rope.dimension_count", (uint)config.HeadDim);
        gguf.Add("llama.rope.freq_base", (float)config.RopeTheta);
        gguf.Add("llama.attention.head_count", (uint)config.Heads);
        gguf.Add("llama.attention.head_count_kv", (uint)config.KvHeads);
        gguf.Add("llama.attention.layer_norm_rms_epsilon", (float)config.NormEps);
        gguf.Add("llama.vocab_size", (uint)config.VocabSize);
        switch (client.Generator.Tokenizer)
        {
            case LlamaCTokenizer llamaC:
                AddVocabulary(gguf, llamaC);
                break;
            case HfTokenizer hf:
                GgufByteLevelVocabulary.Add(gguf, TokenizerDirectory(modelPath), hf, config.VocabSize);
                break;
            default:
                throw new NotSupportedException("GGUF export writes llama2.c and Hugging Face byte-level BPE tokenizers so far");
        }

        var stored = new Dictionary<string, GgmlType>(StringComparer.Ordinal);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            var ggufName = Name(name);
            var tensorType = parameter.dim() == 1 ? GgmlType.F32 : GgmlQuantization.Fits(type, parameter.shape[^1]) ? type : GgmlType.F16;
            using var values = parameter.detach().contiguous();
            gguf.AddTensor(ggufName, parameter.shape, tensorType, GgmlQuantization.Encode(values.data<float>().ToArray(), tensorType));
            stored[ggufName] = tensorType;
        }

        gguf.Write(outputPath);
        return stored;
    }

    /// <summary>The folder whose tokenizer.json the model at <paramref name="modelPath"/> uses: an adapter's base's.</summary>
    private static string TokenizerDirectory(string modelPath) =>
        Directory.Exists(modelPath) && PeftAdapter.IsIn(modelPath) ? TokenizerDirectory(PeftAdapter.BaseOf(modelPath)) : modelPath;

    /// <summary>
    /// llama2.c's pieces as SentencePiece wrote them: spaces back to U+2581, the control tokens under their own names,
    /// and each token's type (normal, unknown, control, byte), which llama.cpp's tokenizer and decoder follow.
    /// </summary>
    private static void AddVocabulary(GgufWriter gguf, LlamaCTokenizer tokenizer)
    {
        var tokens = new string[tokenizer.VocabSize];
        var types = new int[tokenizer.VocabSize];
        var scores = new float[tokenizer.VocabSize];
        for (var id = 0; id < tokenizer.VocabSize; id++)
        {
            var piece = tokenizer.Piece(id);
            scores[id] = tokenizer.Score(id);
            (tokens[id], types[id]) = id switch
            {
                LlamaCTokenizer.UnknownId => ("<unk>", (int)GgufTokenType.Unknown),
                LlamaCTokenizer.BosId => ("<s>", (int)GgufTokenType.Control),
                LlamaCTokenizer.EosId => ("</s>", (int)GgufTokenType.Control),
                _ when ByteToken().IsMatch(piece) => (piece, (int)GgufTokenType.Byte),
                _ => (piece.Replace(' ', '\u2581'), (int)GgufTokenType.Normal),
            };
        }

        gguf.Add("tokenizer.ggml.model", "llama");
        gguf.Add("tokenizer.ggml.tokens", tokens);
        gguf.Add("tokenizer.ggml.scores", scores);
        gguf.Add("tokenizer.ggml.token_type", types);
        gguf.Add("tokenizer.ggml.bos_token_id", (uint)LlamaCTokenizer.BosId);
        gguf.Add("tokenizer.ggml.eos_token_id", (uint)LlamaCTokenizer.EosId);
        gguf.Add("tokenizer.ggml.unknown_token_id", (uint)LlamaCTokenizer.UnknownId);
        gguf.Add("tokenizer.ggml.add_bos_token", true);
        gguf.Add("tokenizer.ggml.add_eos_token", false);
    }

    /// <summary>llama.cpp's tensor name for a parameter (token_embd, blk.N.attn_q, …).</summary>
    internal static string Name(string metaName)
    {
        switch (metaName)
        {
            case "tok_embeddings.weight": return "token_embd.weight";
            case "norm.weight": return "output_norm.weight";
            case "output.weight": return "output.weight";
        }

        var match = LayerParameter().Match(metaName);
        return match.Success && LayerParts.TryGetValue(match.Groups["part"].Value, out var part)
            ? $"blk.{match.Groups["layer"].Value}.{part}.weight"
            : throw new NotSupportedException($"no GGUF name for parameter {metaName}");
    }

    [GeneratedRegex(@"^layers\.(?<layer>\d+)\.(?<part>.+)\.weight$")]
    private static partial Regex LayerParameter();

    [GeneratedRegex(@"^<0x[0-9A-F]{2}>$")]
    private static partial Regex ByteToken();
}
