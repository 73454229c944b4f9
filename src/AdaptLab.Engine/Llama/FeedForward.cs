using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Llama;

/// <summary>SwiGLU feed-forward: w2(silu(w1 x) * w3 x).</summary>
internal sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    private readonly Linear w1;
    private readonly Linear w2;
    private readonly Linear w3;
    private readonly FusedLinear gateAndUp;
    private readonly FusedLinear down;
    private readonly LinearAdapters adapters;

    public FeedForward(LlamaConfig config, LinearAdapters adapters) : base(nameof(FeedForward))
    {
        this.adapters = adapters;
        w1 = nn.Linear(config.Dim, config.HiddenDim, hasBias: false, device: FusedLinear.Unallocated);
        w2 = nn.Linear(config.HiddenDim, config.Dim, hasBias: false, device: FusedLinear.Unallocated);
        w3 = nn.Linear(config.Dim, config.HiddenDim, hasBias: false, device: FusedLinear.Unallocated);
        gateAndUp = new FusedLinear(w1, w3);
        down = new FusedLinear(w2);
        register_module("w1", w1);
        register_module("w2", w2);
        register_module("w3", w3);
    }

    /// <summary>Whether <see cref="AddInference"/> may run: no adapters, and the layers still share the fused weights.</summary>
    public bool CanFuse => adapters.IsEmpty && gateAndUp.IsIntact && down.IsIntact;

    /// <summary>After a conversion (Module.to a dtype): the layers fused again, in the new type.</summary>
    public void Refuse()
    {
        gateAndUp.Refuse();
        down.Refuse();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor gate, up;
        if (gateAndUp.FrozenForward(x) is { } fused)
        {
            // One product for both when the base is frozen (LoRA): wider, and one backward instead of two.
            var halves = fused.chunk(2, -1);
            (gate, up) = (adapters.Add(w1, x, halves[0]), adapters.Add(w3, x, halves[1]));
        }
        else
        {
            (gate, up) = (adapters.Project(w1, x), adapters.Project(w3, x));
        }

        var gated = nn.functional.silu(gate) * up;
        return adapters.Project(w2, gated).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Inference only: adds the output for the normalized rows <paramref name="normalized"/> [N, dim] to
    /// <paramref name="residual"/> [N, dim] in place, with one product for gate and up and SiLU and gating in place.
    /// </summary>
    public void AddInference(Tensor residual, Tensor normalized)
    {
        var halves = gateAndUp.Forward(normalized).chunk(2, -1);
        down.AddTo(residual, halves[0].silu_().mul_(halves[1]));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            gateAndUp.Dispose();
            down.Dispose();
        }

        base.Dispose(disposing);
    }
}
