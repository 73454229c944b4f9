using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Llama;

/// <summary>
/// Linear layers that read the same input, run at inference as one matrix product. Their weights (and biases)
/// are row blocks of one tensor, and each layer's Parameter a view of its block: state dicts, loading by copy_,
/// optimizers and autograd still see separate parameters under their names, and the fused product always reads
/// their current values without a second copy of the weights. If a parameter is replaced (converted to another
/// dtype, swapped for an adapter), the layers no longer share that storage and <see cref="IsIntact"/> turns false,
/// so callers fall back to the separate layers.
/// </summary>
/// <remarks>
/// The layers are made on the meta device (<see cref="Unallocated"/>), and this allocates their real storage once,
/// uninitialized: every model is loaded from a checkpoint, and initializing weights that loading overwrites, then
/// copying them into the fused tensor, cost time and left the freed copies resident.
/// </remarks>
internal sealed class FusedLinear : IDisposable
{
    private readonly Linear[] parts;
    private readonly Parameter[] weights;
    private readonly Parameter?[] biases;
    private readonly Tensor weight;
    private readonly Tensor? bias;

    // weight.t(), made once: accumulating with addmm_ then costs one call, as many as linear alone.
    private readonly Tensor transposed;

    public FusedLinear(params Linear[] parts)
    {
        this.parts = parts;
        var rows = parts.Sum(p => p.weight.shape[0]);
        weight = empty(rows, parts[0].weight.shape[1]);
        bias = parts[0].bias is null ? null : empty(rows);
        long row = 0;
        foreach (var part in parts)
        {
            var count = part.weight.shape[0];
            part.weight = new Parameter(weight.narrow(0, row, count));
            if (bias is not null)
            {
                part.bias = new Parameter(bias.narrow(0, row, count));
            }

            row += count;
        }

        weights = [.. parts.Select(p => p.weight)];
        biases = [.. parts.Select(p => p.bias)];
        transposed = weight.t();
    }

    /// <summary>Where to make the layers handed to the constructor: they get no storage of their own there.</summary>
    public static Device Unallocated { get; } = new(DeviceType.META);

    /// <summary>Whether every layer still holds the parameter this made, so the fused weight is theirs.</summary>
    public bool IsIntact
    {
        get
        {
            for (var i = 0; i < parts.Length; i++)
            {
                if (!ReferenceEquals(parts[i].weight, weights[i]) || !ReferenceEquals(parts[i].bias, biases[i]))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>The layers' outputs for rows x [N, in], side by side on the last dimension.</summary>
    public Tensor Forward(Tensor x) => RowBlockProduct.Linear(x, weight, bias);

    /// <summary>Adds the (single) layer's output for rows x [N, in] to <paramref name="accumulator"/> [N, out] in place.</summary>
    public void AddTo(Tensor accumulator, Tensor x)
    {
        RowBlockProduct.AddTo(accumulator, x, weight, transposed);
        if (bias is not null)
        {
            accumulator.add_(bias);
        }
    }

    public void Dispose()
    {
        transposed.Dispose();
        weight.Dispose();
        bias?.Dispose();
    }
}
