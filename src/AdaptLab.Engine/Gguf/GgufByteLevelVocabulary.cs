using System.Text.Json;
using AdaptLab.Engine.HuggingFace;

namespace AdaptLab.Engine.Gguf;

/// <summary>
/// A Hugging Face byte-level BPE tokenizer (GPT-2, Llama 3, Qwen2) as llama.cpp's "gpt2" tokenizer: tokens in the
/// vocabulary's byte-level alphabet, the merges, each token's type, and the pre-tokenizer llama.cpp must split text
/// with (tokenizer.ggml.pre), recognized from tokenizer.json's own pre_tokenizer. llama.cpp knows each pre-tokenizer
/// by name only, so one it has no name for is refused rather than written to tokenize differently.
/// </summary>
internal static class GgufByteLevelVocabulary
{
    /// <summary>The Split regexes in front of a ByteLevel step without its own regex, by the name llama.cpp gives that pre-tokenizer.</summary>
    private static readonly Dictionary<string, string> SplitPatterns = new(StringComparer.Ordinal)
    {
        [@"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"] = "llama-bpe",
        [@"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"] = "qwen2",
    };

    /// <summary>Adds the tokenizer.json (and tokenizer_config.json) in <paramref name="directory"/>, padded to the model's <paramref name="vocabSize"/>.</summary>
    /// <exception cref="NotSupportedException">The tokenizer is not byte-level BPE, or its pre-tokenizer has no llama.cpp name.</exception>
    public static void Add(GgufWriter gguf, string directory, HfTokenizer tokenizer, int vocabSize)
    {
        var path = Path.Combine(directory, HfTokenizer.TokenizerFile);
        using var document = HfJson.Parse(path);
        var root = document.RootElement;
        var model = root.GetProperty("model");
        var pre = PreTokenizerName(root.TryGetProperty("pre_tokenizer", out var spec) ? spec : default, path);
        if (model.GetProperty("type").GetString() != "BPE" || pre is null)
        {
            throw new NotSupportedException(
                $"{path}: GGUF export writes byte-level BPE tokenizers whose pre-tokenizer llama.cpp names (GPT-2's, Llama 3's, Qwen2's) so far; " +
                "convert this folder with llama.cpp's convert_hf_to_gguf.py");
        }

        var tokens = new string[vocabSize];
        var types = new GgufTokenType[vocabSize];
        foreach (var entry in model.GetProperty("vocab").EnumerateObject())
        {
            var id = Id(entry.Value.GetInt32(), vocabSize, path);
            (tokens[id], types[id]) = (entry.Name, GgufTokenType.Normal);
        }

        foreach (var added in root.GetProperty("added_tokens").EnumerateArray())
        {
            var id = Id(added.GetProperty("id").GetInt32(), vocabSize, path);
            tokens[id] = added.GetProperty("content").GetString()!;
            types[id] = added.TryGetProperty("special", out var special) && special.GetBoolean() ? GgufTokenType.Control : GgufTokenType.UserDefined;
        }

        // Ids the tokenizer leaves out (a model's vocabulary padded past it) get placeholders, as llama.cpp's converter writes them.
        for (var id = 0; id < vocabSize; id++)
        {
            if (tokens[id] is null)
            {
                (tokens[id], types[id]) = ($"[PAD{id}]", GgufTokenType.Unused);
            }
        }

        gguf.Add("tokenizer.ggml.model", "gpt2");
        gguf.Add("tokenizer.ggml.pre", pre);
        gguf.Add("tokenizer.ggml.tokens", tokens);
        gguf.Add("tokenizer.ggml.token_type", [.. types.Select(t => (int)t)]);
        gguf.Add("tokenizer.ggml.merges", [.. model.GetProperty("merges").EnumerateArray().Select(Merge)]);
        if (tokenizer.BosId is { } bos)
        {
            gguf.Add("tokenizer.ggml.bos_token_id", (uint)bos);
        }

        if (tokenizer.EosId is { } eos)
        {
            gguf.Add("tokenizer.ggml.eos_token_id", (uint)eos);
        }

        gguf.Add("tokenizer.ggml.add_bos_token", tokenizer.BosId is not null);
        gguf.Add("tokenizer.ggml.add_eos_token", false);
        if (ChatTemplate(directory) is { } template)
        {
            gguf.Add("tokenizer.chat_template", template);
        }
    }

    /// <summary>llama.cpp's name for the pre_tokenizer, or null when it has none this recognizes.</summary>
    private static string? PreTokenizerName(JsonElement spec, string path)
    {
        var steps = spec.ValueKind == JsonValueKind.Object && spec.GetProperty("type").GetString() == "Sequence"
            ? [.. spec.GetProperty("pretokenizers").EnumerateArray()]
            : spec.ValueKind == JsonValueKind.Object ? new List<JsonElement> { spec } : [];
        if (steps.Count == 0 || steps[^1].GetProperty("type").GetString() != "ByteLevel")
        {
            return null;
        }

        var byteLevelSplits = !steps[^1].TryGetProperty("use_regex", out var useRegex) || useRegex.GetBoolean();
        return steps.Count switch
        {
            1 when byteLevelSplits => "gpt-2",
            2 when !byteLevelSplits && steps[0].GetProperty("type").GetString() == "Split" &&
                steps[0].GetProperty("behavior").GetString() == "Isolated" &&
                !(steps[0].TryGetProperty("invert", out var invert) && invert.GetBoolean()) &&
                steps[0].GetProperty("pattern").TryGetProperty("Regex", out var regex) =>
                SplitPatterns.GetValueOrDefault(regex.GetString() ?? ""),
            _ => null,
        };
    }

    private static int Id(int id, int vocabSize, string path) =>
        id >= 0 && id < vocabSize ? id : throw new FormatException($"{path}: token id {id} is outside the model's vocabulary of {vocabSize}.");

    /// <summary>A merge as llama.cpp reads it, "left right" (tokenizer.json writes either that string or the pair).</summary>
    private static string Merge(JsonElement merge) =>
        merge.ValueKind == JsonValueKind.Array ? $"{merge[0].GetString()} {merge[1].GetString()}" : merge.GetString()!;

    /// <summary>tokenizer_config.json's chat_template, when it is one template (Ollama and llama.cpp's server read it).</summary>
    private static string? ChatTemplate(string directory)
    {
        var path = Path.Combine(directory, HfTokenizer.TokenizerConfigFile);
        if (!File.Exists(path))
        {
            return null;
        }

        using var config = HfJson.Parse(path);
        return config.RootElement.TryGetProperty("chat_template", out var template) && template.ValueKind == JsonValueKind.String
            ? template.GetString()
            : null;
    }
}
