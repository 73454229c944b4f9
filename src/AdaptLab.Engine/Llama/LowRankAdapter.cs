using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Llama;

/// <summary>
/// One LoRA adapter: scale·B·A·dropout(x), added to a frozen projection's output. A starts as PEFT's does
/// (Kaiming-uniform with a = √5, so uniform in ±1/√in) and B at zero, so the adapted model starts as the base.
/// </summary>
internal sealed class LowRankAdapter : nn.Module<Tensor, Tensor>
{
    private readonly Parameter lora_A;
    private readonly Parameter lora_B;
    // A Scalar held as long as the adapter, not an implicit one per call (see EngineScalars).
    private readonly Scalar scale;
    private readonly double dropout;

    /// <param name="dtype">The projection's: the adapter computes in the same type.</param>
    public LowRankAdapter(long inFeatures, long outFeatures, int rank, double scale, double dropout, ScalarType dtype = ScalarType.Float32) : base(nameof(LowRankAdapter))
    {
        var bound = 1.0 / Math.Sqrt(inFeatures);
        lora_A = nn.Parameter(empty(rank, inFeatures).uniform_(-bound, bound).to(dtype));
        lora_B = nn.Parameter(zeros(outFeatures, rank, dtype));
        this.scale = scale.ToScalar();
        this.dropout = dropout;
        register_parameter("lora_A", lora_A);
        register_parameter("lora_B", lora_B);
    }

    /// <summary>[rank, in].</summary>
    public Parameter A => lora_A;

    /// <summary>[out, rank], in the model's (Meta) row order.</summary>
    public Parameter B => lora_B;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var input = dropout > 0 ? nn.functional.dropout(x, dropout, training) : x;
        return nn.functional.linear(nn.functional.linear(input, lora_A), lora_B).mul_(scale).MoveToOuterDisposeScope();
    }

    /// <summary>scale·B·A [out, in]: what merging adds to the projection's weight.</summary>
    public Tensor Delta() => lora_B.matmul(lora_A).mul_(scale);
}
