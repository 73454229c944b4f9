using System.Text.RegularExpressions;

namespace AdaptLab.Engine.HuggingFace;

/// <summary>Hugging Face's parameter names for <see cref="Llama.LlamaModel"/>'s Meta-style ones.</summary>
internal static partial class HfTensorNames
{
    private static readonly Dictionary<string, string> LayerParts = new()
    {
        ["attention.wq"] = "self_attn.q_proj",
        ["attention.wk"] = "self_attn.k_proj",
        ["attention.wv"] = "self_attn.v_proj",
        ["attention.wo"] = "self_attn.o_proj",
        ["feed_forward.w1"] = "mlp.gate_proj",
        ["feed_forward.w2"] = "mlp.down_proj",
        ["feed_forward.w3"] = "mlp.up_proj",
        ["attention_norm"] = "input_layernorm",
        ["ffn_norm"] = "post_attention_layernorm",
    };

    public static string FromMeta(string name)
    {
        switch (name)
        {
            case "tok_embeddings.weight": return "model.embed_tokens.weight";
            case "norm.weight": return "model.norm.weight";
            case "output.weight": return "lm_head.weight";
        }

        var match = LayerParameter().Match(name);
        return match.Success && LayerParts.TryGetValue(match.Groups["part"].Value, out var part)
            ? $"model.layers.{match.Groups["layer"].Value}.{part}.{match.Groups["kind"].Value}"
            : throw new ArgumentException($"No Hugging Face name for parameter {name}.", nameof(name));
    }

    /// <summary>Whether a projection's output rows are rotated by RoPE (and so need reordering at load).</summary>
    public static bool IsRotated(string metaName) => metaName.Contains(".attention.wq.", StringComparison.Ordinal) ||
        metaName.Contains(".attention.wk.", StringComparison.Ordinal);

    /// <summary>Tensors some checkpoints carry that the model recomputes or shares, so loading skips them.</summary>
    public static bool IsRedundant(string hfName, bool tiedEmbeddings) =>
        hfName.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal) || (tiedEmbeddings && hfName == "lm_head.weight");

    [GeneratedRegex(@"^layers\.(?<layer>\d+)\.(?<part>.+)\.(?<kind>weight|bias)$")]
    private static partial Regex LayerParameter();
}
