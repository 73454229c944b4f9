using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Llama;

/// <summary>SwiGLU feed-forward: w2(silu(w1 x) * w3 x).</summary>
internal sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    private readonly Linear w1;
    private readonly Linear w2;
    private readonly Linear w3;

    public FeedForward(LlamaConfig config) : base(nameof(FeedForward))
    {
        w1 = nn.Linear(config.Dim, config.HiddenDim, hasBias: false);
        w2 = nn.Linear(config.HiddenDim, config.Dim, hasBias: false);
        w3 = nn.Linear(config.Dim, config.HiddenDim, hasBias: false);
        register_module("w1", w1);
        register_module("w2", w2);
        register_module("w3", w3);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var gated = nn.functional.silu(w1.forward(x)) * w3.forward(x);
        return w2.forward(gated).MoveToOuterDisposeScope();
    }
}
