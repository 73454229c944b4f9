using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Llama;

/// <summary>Root-mean-square layer norm; TorchSharp 0.107 has no nn.RMSNorm.</summary>
internal sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;

    private readonly Scalar eps; // held as long as the module, not an implicit Scalar per call (see EngineScalars)

    public RmsNorm(int dim, double eps) : base(nameof(RmsNorm))
    {
        weight = nn.Parameter(ones(dim));
        this.eps = eps.ToScalar();
        register_parameter("weight", weight);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var normalized = x * rsqrt(x.pow(EngineScalars.Two).mean([-1L], keepdim: true).add(eps, EngineScalars.One));
        return (normalized * weight).MoveToOuterDisposeScope();
    }

    /// <summary>The same arithmetic for inference, updating its own temporaries in place instead of allocating new ones.</summary>
    public Tensor Inference(Tensor x) =>
        x.mul(x.pow(EngineScalars.Two).mean([-1L], keepdim: true).add_(eps, EngineScalars.One).rsqrt_()).mul_(weight);
}
