using static TorchSharp.torch;

namespace AdaptLab.Engine.Llama;

/// <summary>
/// Rotary position embedding in Meta's (and llama2.c's) layout: each head's dimensions rotate in adjacent
/// pairs (2i, 2i+1) by angle pos / theta^(2i/headDim). Hugging Face checkpoints use the split-half layout,
/// so their q/k projections are permuted into this one when loaded.
/// </summary>
/// <remarks>
/// A pair (x0, x1) read as the complex number x0 + i x1 rotates by multiplying with cos + i sin, which is one
/// complex multiplication per tensor instead of a dozen real operations on even and odd halves (as Meta's own
/// reference does it). The product is the same arithmetic: x0 cos - x1 sin, x0 sin + x1 cos.
/// </remarks>
internal sealed class RotaryEmbedding : nn.Module
{
    // [maxSeqLen, headDim/2, 2]: (cos, sin) of each position's angles, float32 so that view_as_complex reads it as complex64.
    // Named as registered: TorchSharp also registers tensor fields under their field names, as persistent buffers.
    private readonly Tensor cos_sin;

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
        cos_sin = stack([angles.cos(), angles.sin()], -1).to(ScalarType.Float32).DetachFromDisposeScope();
        register_buffer("cos_sin", cos_sin, persistent: false);
    }

    public int MaxSeqLen => (int)cos_sin.shape[0];

    /// <summary>Rotations (complex64) for positions start..start+length of every row, shaped [1, T, 1, headDim/2] to broadcast.</summary>
    public Tensor At(int start, int length) =>
        view_as_complex(cos_sin.narrow(0, start, length).view(1, length, 1, cos_sin.shape[1], 2));

    /// <summary>Rotations (complex64) for positions [B, T], shaped [B, T, 1, headDim/2] to broadcast over heads.</summary>
    public Tensor At(Tensor positions)
    {
        long[] shape = [positions.shape[0], positions.shape[1], 1, cos_sin.shape[1], 2];
        return view_as_complex(cos_sin.index_select(0, positions.flatten()).view(shape));
    }

    /// <summary>
    /// Rotates x [B, T, heads, headDim] by <paramref name="rotation"/> from <see cref="At(int, int)"/>; differentiable.
    /// A bfloat16 x (a model converted for training) rotates in float32, since there is no bfloat16 complex type.
    /// </summary>
    public static Tensor Apply(Tensor x, Tensor rotation)
    {
        using var scope = NewDisposeScope();
        var pairs = view_as_complex(Float32(x).view(x.shape[0], x.shape[1], x.shape[2], -1, 2));
        var rotated = view_as_real(pairs * rotation).flatten(3);
        return (rotated.dtype == x.dtype ? rotated : rotated.to(x.dtype)).MoveToOuterDisposeScope();
    }

    private static Tensor Float32(Tensor t) => t.dtype == ScalarType.Float32 ? t : t.to(ScalarType.Float32);

    /// <summary>Rotates pairs [B, T, heads, headDim/2, 2] (last dimension contiguous) in place, for inference; bfloat16 ones through float32.</summary>
    public static void ApplyInPlace(Tensor pairs, Tensor rotation)
    {
        if (pairs.dtype == ScalarType.Float32)
        {
            view_as_complex(pairs).mul_(rotation);
            return;
        }

        using var scope = NewDisposeScope();
        pairs.copy_(view_as_real(view_as_complex(pairs.to(ScalarType.Float32)).mul_(rotation)));
    }
}
