using static TorchSharp.torch;

namespace AdaptLab.Engine.Llama;

/// <summary>Pre-norm decoder layer: x + attention(norm(x)), then + feed_forward(norm(...)).</summary>
internal sealed class TransformerBlock : nn.Module<Tensor, AttentionInputs, Tensor>
{
    private readonly RmsNorm attention_norm;
    private readonly Attention attention;
    private readonly RmsNorm ffn_norm;
    private readonly FeedForward feed_forward;

    public TransformerBlock(LlamaConfig config, int layer, LinearAdapters adapters) : base(nameof(TransformerBlock))
    {
        attention_norm = new RmsNorm(config.Dim, config.NormEps);
        attention = new Attention(config, layer, adapters);
        ffn_norm = new RmsNorm(config.Dim, config.NormEps);
        feed_forward = new FeedForward(config, adapters);
        // Meta's parameter names, which llama2.c's export and its state dicts use. The fields carry the same
        // names because TorchSharp also registers a module list's items' fields under their field names.
        register_module("attention_norm", attention_norm);
        register_module("attention", attention);
        register_module("ffn_norm", ffn_norm);
        register_module("feed_forward", feed_forward);
    }

    public bool CanFuse => attention.CanFuse && feed_forward.CanFuse;

    public void Refuse()
    {
        attention.Refuse();
        feed_forward.Refuse();
    }

    public override Tensor forward(Tensor x, AttentionInputs inputs)
    {
        using var scope = NewDisposeScope();
        var h = x.add(attention.forward(attention_norm.forward(x), inputs), EngineScalars.One);
        return h.add(feed_forward.forward(ffn_norm.forward(h)), EngineScalars.One).MoveToOuterDisposeScope();
    }

    /// <summary>Inference only: the same layer on the residual rows x [B*T, dim], which it updates in place.</summary>
    public void AddInference(Tensor x, long batch, long length, AttentionInputs inputs)
    {
        using var scope = NewDisposeScope();
        attention.AddInference(x, attention_norm.Inference(x), batch, length, inputs);
        feed_forward.AddInference(x, ffn_norm.Inference(x));
    }
}
