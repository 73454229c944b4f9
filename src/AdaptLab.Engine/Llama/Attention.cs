using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Llama;

/// <summary>Multi-head self-attention with grouped key/value heads (GQA) and rotary positions.</summary>
internal sealed class Attention : nn.Module<Tensor, AttentionInputs, Tensor>
{
    private readonly Linear wq;
    private readonly Linear wk;
    private readonly Linear wv;
    private readonly Linear wo;
    private readonly LlamaConfig config;
    private readonly int layer;

    public Attention(LlamaConfig config, int layer) : base(nameof(Attention))
    {
        this.config = config;
        this.layer = layer;
        wq = nn.Linear(config.Dim, config.QueryDim, hasBias: config.AttentionBias);
        wk = nn.Linear(config.Dim, config.KvDim, hasBias: config.AttentionBias);
        wv = nn.Linear(config.Dim, config.KvDim, hasBias: config.AttentionBias);
        wo = nn.Linear(config.QueryDim, config.Dim, hasBias: false);
        register_module("wq", wq);
        register_module("wk", wk);
        register_module("wv", wv);
        register_module("wo", wo);
    }

    public override Tensor forward(Tensor x, AttentionInputs inputs)
    {
        using var scope = NewDisposeScope();
        var (batch, length) = (x.shape[0], x.shape[1]);
        var q = RotaryEmbedding.Apply(wq.forward(x).view(batch, length, config.Heads, config.HeadDim), inputs.Cos, inputs.Sin);
        var k = RotaryEmbedding.Apply(wk.forward(x).view(batch, length, config.KvHeads, config.HeadDim), inputs.Cos, inputs.Sin);
        var v = wv.forward(x).view(batch, length, config.KvHeads, config.HeadDim);

        // [B, heads, T, headDim] is the layout both the cache and scaled_dot_product_attention use.
        q = q.transpose(1, 2);
        k = k.transpose(1, 2);
        v = v.transpose(1, 2);
        if (inputs.Cache is { } cache)
        {
            (k, v) = cache.Append(layer, k, v);
        }

        var attended = config.Heads == config.KvHeads || inputs.IsCausal
            ? nn.functional.scaled_dot_product_attention(q, Expand(k), Expand(v), inputs.Mask, 0.0, inputs.IsCausal)
            : GroupedAttention(q, k, v, inputs.Mask);
        var merged = attended.transpose(1, 2).reshape(batch, length, config.QueryDim);
        return wo.forward(merged).MoveToOuterDisposeScope();
    }

    /// <summary>Repeats each key/value head for the query heads that read it (head h reads h / groupSize, as in llama2.c).</summary>
    private Tensor Expand(Tensor kv) =>
        config.Heads == config.KvHeads ? kv : kv.repeat_interleave(config.Heads / config.KvHeads, dim: 1);

    /// <summary>
    /// Attention for cached decoding without copying the cache per query head: the query heads sharing a
    /// key/value head become extra query rows of it, and the mask is repeated to match. Not for the causal
    /// (uncached) path, whose implicit mask would not follow the folded rows.
    /// </summary>
    private Tensor GroupedAttention(Tensor q, Tensor k, Tensor v, Tensor? mask)
    {
        var (batch, length, groupSize) = (q.shape[0], q.shape[2], config.Heads / config.KvHeads);
        var folded = q.reshape(batch, config.KvHeads, groupSize * length, config.HeadDim);
        var foldedMask = mask?.unsqueeze(2).expand(-1, -1, groupSize, -1, -1).reshape(mask.shape[0], 1, groupSize * length, -1);
        var attended = nn.functional.scaled_dot_product_attention(folded, k, v, foldedMask, 0.0, false);
        return attended.view(batch, config.Heads, length, config.HeadDim);
    }
}
