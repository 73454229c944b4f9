using TorchSharp;
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
    private readonly FusedLinear qkv;
    private readonly FusedLinear output;
    private readonly LlamaConfig config;
    private readonly LinearAdapters adapters;
    private readonly int layer;
    private readonly Scalar scale; // held, not an implicit Scalar per call (see EngineScalars)

    public Attention(LlamaConfig config, int layer, LinearAdapters adapters) : base(nameof(Attention))
    {
        this.config = config;
        this.adapters = adapters;
        this.layer = layer;
        scale = (1.0 / Math.Sqrt(config.HeadDim)).ToScalar();
        wq = nn.Linear(config.Dim, config.QueryDim, hasBias: config.AttentionBias, device: FusedLinear.Unallocated);
        wk = nn.Linear(config.Dim, config.KvDim, hasBias: config.AttentionBias, device: FusedLinear.Unallocated);
        wv = nn.Linear(config.Dim, config.KvDim, hasBias: config.AttentionBias, device: FusedLinear.Unallocated);
        wo = nn.Linear(config.QueryDim, config.Dim, hasBias: false, device: FusedLinear.Unallocated);
        qkv = new FusedLinear(wq, wk, wv);
        output = new FusedLinear(wo);
        register_module("wq", wq);
        register_module("wk", wk);
        register_module("wv", wv);
        register_module("wo", wo);
    }

    /// <summary>Whether <see cref="AddInference"/> may run: no adapters, and the projections still share the fused weights.</summary>
    public bool CanFuse => adapters.IsEmpty && qkv.IsIntact && output.IsIntact;

    /// <summary>After a conversion (Module.to a dtype): the projections fused again, in the new type.</summary>
    public void Refuse()
    {
        qkv.Refuse();
        output.Refuse();
    }

    public override Tensor forward(Tensor x, AttentionInputs inputs)
    {
        using var scope = NewDisposeScope();
        var (batch, length) = (x.shape[0], x.shape[1]);
        var (qx, kx, vx) = Projections(x);
        var q = RotaryEmbedding.Apply(qx.reshape(batch, length, config.Heads, config.HeadDim), inputs.Rotation);
        var k = RotaryEmbedding.Apply(kx.reshape(batch, length, config.KvHeads, config.HeadDim), inputs.Rotation);
        var v = vx.reshape(batch, length, config.KvHeads, config.HeadDim);

        // [B, heads, T, headDim] is the layout both the cache and scaled_dot_product_attention use.
        k = k.transpose(1, 2);
        v = v.transpose(1, 2);
        if (inputs.Cache is { } cache)
        {
            (k, v) = cache.Append(layer, k, v);
        }

        var attended = Attend(q, k, v, inputs);
        return adapters.Project(wo, attended.view(batch, length, config.QueryDim)).MoveToOuterDisposeScope();
    }

    /// <summary>q, k and v of x, with their adapters; one product for the three when the base is frozen.</summary>
    private (Tensor Q, Tensor K, Tensor V) Projections(Tensor x)
    {
        if (qkv.FrozenForward(x) is not { } fused)
        {
            return (adapters.Project(wq, x), adapters.Project(wk, x), adapters.Project(wv, x));
        }

        var parts = fused.split([config.QueryDim, config.KvDim, config.KvDim], -1);
        return (adapters.Add(wq, x, parts[0]), adapters.Add(wk, x, parts[1]), adapters.Add(wv, x, parts[2]));
    }

    /// <summary>
    /// Inference only: adds the attention output for the normalized rows <paramref name="normalized"/> [B*T, dim]
    /// to the residual stream <paramref name="residual"/> [B*T, dim] in place. One product makes q, k and v;
    /// q and k rotate in place; k and v go to the cache with one copy; the output projection accumulates.
    /// </summary>
    public void AddInference(Tensor residual, Tensor normalized, long batch, long length, AttentionInputs inputs)
    {
        var (heads, kvHeads, headDim) = (config.Heads, config.KvHeads, config.HeadDim);
        var projected = qkv.Forward(normalized);
        var pairs = projected.view(batch, length, heads + (2 * kvHeads), headDim / 2, 2);
        RotaryEmbedding.ApplyInPlace(pairs.narrow(2, 0, heads + kvHeads), inputs.Rotation);
        var perHead = projected.view(batch, length, heads + (2 * kvHeads), headDim);
        var keysAndValues = perHead.narrow(2, heads, 2 * kvHeads).transpose(1, 2);
        var (k, v) = inputs.Cache is { } cache
            ? cache.AppendStacked(layer, keysAndValues)
            : (keysAndValues.narrow(1, 0, kvHeads), keysAndValues.narrow(1, kvHeads, kvHeads));
        output.AddTo(residual, Attend(perHead.narrow(2, 0, heads), k, v, inputs));
    }

    /// <summary>Attention of q [B, T, heads, headDim] over k, v [B, kvHeads, keys, headDim]; returns [B*T, queryDim] rows.</summary>
    private Tensor Attend(Tensor q, Tensor k, Tensor v, AttentionInputs inputs)
    {
        var (batch, length) = (q.shape[0], q.shape[1]);
        if (length == 1)
        {
            return SingleQueryAttention(q, k, v, inputs.Mask);
        }

        if (inputs.IsCausal && q.dtype == ScalarType.BFloat16 && is_grad_enabled())
        {
            return MaskedSoftmaxAttention(q, k, v);
        }

        if (config.Heads == config.KvHeads || inputs.IsCausal)
        {
            var attended = nn.functional.scaled_dot_product_attention(q.transpose(1, 2), Expand(k), Expand(v), inputs.Mask, 0.0, inputs.IsCausal);
            return attended.transpose(1, 2).reshape(batch * length, config.QueryDim);
        }

        return GroupedAttention(q, k, v, inputs.Mask);
    }

    /// <summary>Repeats each key/value head for the query heads that read it (head h reads h / groupSize, as in llama2.c).</summary>
    private Tensor Expand(Tensor kv) =>
        config.Heads == config.KvHeads ? kv : kv.repeat_interleave(config.Heads / config.KvHeads, dim: 1);

    /// <summary>
    /// Attention for cached prefill without copying the cache per query head: the query heads sharing a
    /// key/value head become extra query rows of it, which the mask's rows already match. Not for the causal
    /// (uncached) path, whose implicit mask would not follow the folded rows.
    /// </summary>
    private Tensor GroupedAttention(Tensor q, Tensor k, Tensor v, Tensor? mask)
    {
        var (batch, length, groupSize) = (q.shape[0], q.shape[1], config.Heads / config.KvHeads);
        var folded = q.transpose(1, 2).reshape(batch, config.KvHeads, groupSize * length, config.HeadDim);
        var attended = nn.functional.scaled_dot_product_attention(folded, k, v, mask, 0.0, false);
        return attended.reshape(batch, config.Heads, length, config.HeadDim).transpose(1, 2).reshape(batch * length, config.QueryDim);
    }

    /// <summary>
    /// Causal attention as the textbook product (scores, mask, softmax, weighted sum), for training in bfloat16: libtorch's
    /// fused CPU kernel's backward in bfloat16 took longer than the rest of a LoRA step's backward together
    /// (SmolLM2-135M's shape, 4 × 128 tokens: 0.98 s against 0.63 s this way; bench/README.md). The query heads sharing
    /// a key/value head fold into rows of it, as in <see cref="GroupedAttention"/>, so keys and values are never
    /// repeated per query head, nor kept so for the backward pass.
    /// </summary>
    private Tensor MaskedSoftmaxAttention(Tensor q, Tensor k, Tensor v)
    {
        var (batch, length, groupSize) = (q.shape[0], q.shape[1], config.Heads / config.KvHeads);
        var folded = q.transpose(1, 2).reshape(batch, config.KvHeads, groupSize * length, config.HeadDim);
        var scores = folded.matmul(k.transpose(2, 3)).mul_(scale);
        // Folded row g * length + t is query position t of the group's g-th head.
        using var future = ones(length, length, dtype: ScalarType.Bool).triu_(1).repeat(groupSize, 1);
        scores = scores.masked_fill(future, EngineScalars.NegativeInfinity);
        var attended = scores.softmax(-1).matmul(v);
        return attended.reshape(batch, config.Heads, length, config.HeadDim).transpose(1, 2).reshape(batch * length, config.QueryDim);
    }

    /// <summary>
    /// One query position per row, as every decoding step runs: scores, softmax and the weighted sum as small
    /// products. libtorch's fused attention kernel splits even a few heads across threads, and on a busy machine
    /// waiting for the second thread cost more than the whole computation (stories260K: 350 us a layer, against
    /// 20 us of work). The query heads sharing a key/value head fold into rows of it without a copy:
    /// [B, 1, heads, headDim] is already [B, kvHeads, groupSize, headDim], and the mask's rows match them.
    /// </summary>
    private Tensor SingleQueryAttention(Tensor q, Tensor k, Tensor v, Tensor? mask)
    {
        var batch = q.shape[0];
        var scores = q.view(batch, config.KvHeads, config.Heads / config.KvHeads, config.HeadDim).matmul(k.transpose(2, 3)).mul_(scale);
        if (mask is not null)
        {
            scores.masked_fill_(mask.logical_not(), EngineScalars.NegativeInfinity);
        }

        return scores.softmax(-1).matmul(v).view(batch, config.QueryDim);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            qkv.Dispose();
            output.Dispose();
        }

        base.Dispose(disposing);
    }
}
