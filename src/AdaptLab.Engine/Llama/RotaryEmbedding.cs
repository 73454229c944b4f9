using static TorchSharp.torch;

namespace AdaptLab.Engine.Llama;

/// <summary>
/// Rotary position embedding in Meta's (and llama2.c's) layout: each head's dimensions rotate in adjacent
/// pairs (2i, 2i+1) by angle pos / theta^(2i/headDim). Hugging Face checkpoints use the split-half layout,
/// so their q/k projections are permuted into this one when loaded.
/// </summary>
internal sealed class RotaryEmbedding : nn.Module
{
    private readonly Tensor cos;
    private readonly Tensor sin;

    public RotaryEmbedding(int headDim, int maxSeqLen, double theta, Llama3RopeScaling? scaling = null) : base(nameof(RotaryEmbedding))
    {
        using var scope = NewDisposeScope();
        var exponents = arange(0, headDim, 2, dtype: ScalarType.Float64) / headDim;
        var inverseFrequencies = 1.0 / pow(theta, exponents);
        if (scaling is not null)
        {
            inverseFrequencies = scaling.Apply(inverseFrequencies);
        }

        var angles = outer(arange(maxSeqLen, dtype: ScalarType.Float64), inverseFrequencies);
        cos = angles.cos().to(ScalarType.Float32).DetachFromDisposeScope();
        sin = angles.sin().to(ScalarType.Float32).DetachFromDisposeScope();
        register_buffer("cos", cos, persistent: false);
        register_buffer("sin", sin, persistent: false);
    }

    public int MaxSeqLen => (int)cos.shape[0];

    /// <summary>Rotation tables for positions [B, T], shaped [B, T, 1, headDim/2] to broadcast over heads.</summary>
    public (Tensor Cos, Tensor Sin) At(Tensor positions)
    {
        var flat = positions.flatten();
        long[] shape = [positions.shape[0], positions.shape[1], 1, cos.shape[1]];
        return (cos.index_select(0, flat).view(shape), sin.index_select(0, flat).view(shape));
    }

    /// <summary>Rotates x [B, T, heads, headDim] by the angles from <see cref="At"/>.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var pairs = x.view(x.shape[0], x.shape[1], x.shape[2], -1, 2);
        var even = pairs.select(-1, 0);
        var odd = pairs.select(-1, 1);
        var rotated = stack([even * cos - odd * sin, even * sin + odd * cos], -1).flatten(3);
        return rotated.MoveToOuterDisposeScope();
    }
}
