using System.Text.Json;
using AdaptLab.Engine.Llama;

namespace AdaptLab.Engine.HuggingFace;

/// <summary>
/// Reads a Hugging Face config.json of a Llama-family decoder (Llama, Mistral, Qwen2, SmolLM2) into a
/// <see cref="LlamaConfig"/>, refusing settings the engine does not implement rather than ignoring them.
/// </summary>
internal static class HfModelConfig
{
    private static readonly HashSet<string> ModelTypes = ["llama", "mistral", "qwen2"];

    public static LlamaConfig Read(string path, int? contextLength = null)
    {
        using var document = HfJson.Parse(path);
        var json = new HfJsonObject(document.RootElement, path);
        var modelType = json.String("model_type") ?? ModelTypeFromArchitectures(json);
        if (!ModelTypes.Contains(modelType))
        {
            throw new FormatException(
                $"{path}: model_type '{modelType}' is not supported; the engine runs {string.Join(", ", ModelTypes)} (SmolLM2 is llama).");
        }

        Require(json, "hidden_act", "silu");
        RequireFalse(json, "mlp_bias");
        RequireFalse(json, "attention_bias"); // Llama's flag also puts a bias on o_proj; Qwen2's q/k/v bias is implied by its type.
        var heads = json.Int("num_attention_heads");
        var config = new LlamaConfig(
            Dim: json.Int("hidden_size"),
            HiddenDim: json.Int("intermediate_size"),
            Layers: json.Int("num_hidden_layers"),
            Heads: heads,
            KvHeads: json.OptionalInt("num_key_value_heads") ?? heads,
            VocabSize: json.Int("vocab_size"),
            MaxSeqLen: ContextLength(json, modelType, contextLength),
            SharedClassifier: json.OptionalBool("tie_word_embeddings") ?? false,
            NormEps: json.OptionalDouble("rms_norm_eps") ?? 1e-6,
            RopeTheta: json.OptionalDouble("rope_theta") ?? 10000.0,
            HeadSize: json.OptionalInt("head_dim"),
            AttentionBias: modelType == "qwen2",
            RopeScaling: RopeScaling(json));
        try
        {
            config.Validate();
        }
        catch (FormatException e)
        {
            throw new FormatException($"{path}: {e.Message}", e);
        }

        return config;
    }

    private static string ModelTypeFromArchitectures(HfJsonObject json)
    {
        var architecture = json.Element.TryGetProperty("architectures", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(a => a.GetString()).FirstOrDefault()
            : null;
        return architecture switch
        {
            "LlamaForCausalLM" => "llama",
            "MistralForCausalLM" => "mistral",
            "Qwen2ForCausalLM" => "qwen2",
            _ => throw new FormatException($"{json.Path}: no model_type, and architectures '{architecture}' is not a supported decoder."),
        };
    }

    /// <summary>
    /// Positions the model may see. With sliding-window attention in effect, attention stays exact only within
    /// the window, so the context stops there.
    /// </summary>
    private static int ContextLength(HfJsonObject json, string modelType, int? requested)
    {
        var limit = json.Int("max_position_embeddings");
        var slidingWindowUsed = modelType == "mistral" || (json.OptionalBool("use_sliding_window") ?? false);
        if (slidingWindowUsed && json.OptionalInt("sliding_window") is { } window)
        {
            limit = Math.Min(limit, window);
        }

        if (requested is { } length && (length < 1 || length > limit))
        {
            throw new ArgumentException($"A context of {length} positions is outside 1..{limit} for {json.Path}.", nameof(requested));
        }

        return requested ?? limit;
    }

    private static Llama3RopeScaling? RopeScaling(HfJsonObject json)
    {
        if (!json.Element.TryGetProperty("rope_scaling", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var scaling = new HfJsonObject(element, json.Path, "rope_scaling.");
        var type = scaling.String("rope_type") ?? scaling.String("type");
        return type switch
        {
            "default" => null,
            "llama3" => new Llama3RopeScaling(
                scaling.Double("factor"), scaling.Double("low_freq_factor"), scaling.Double("high_freq_factor"),
                scaling.Int("original_max_position_embeddings")),
            _ => throw new FormatException($"{json.Path}: rope_scaling type '{type}' is not supported (only llama3)."),
        };
    }

    private static void Require(HfJsonObject json, string name, string expected)
    {
        if (json.String(name) is { } value && value != expected)
        {
            throw new FormatException($"{json.Path}: {name} '{value}' is not supported (only {expected}).");
        }
    }

    private static void RequireFalse(HfJsonObject json, string name)
    {
        if (json.OptionalBool(name) == true)
        {
            throw new FormatException($"{json.Path}: {name} true is not supported.");
        }
    }
}
