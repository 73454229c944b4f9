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
    private Parameter[] weights;
    private Parameter?[] biases;
    private Tensor weight;
    private Tensor? bias;

    // weight.t(), made once: accumulating with addmm_ then costs one call, as many as linear alone.
    private Tensor transposed;

    public FusedLinear(params Linear[] parts)
    {
        this.parts = parts;
        (weights, biases, weight, bias, transposed) = Fuse(parts, ScalarType.Float32, copy: false);
    }

    /// <summary>Where to make the layers handed to the constructor: they get no storage of their own there.</summary>
    public static Device Unallocated { get; } = new(DeviceType.META);

    /// <summary>
    /// Fuses the layers again after their parameters were replaced by converted copies (Module.to a dtype): one new
    /// tensor with their current values, the layers' parameters its views, and the old fused storage released, so a
    /// converted model holds its weights once.
    /// </summary>
    public void Refuse()
    {
        if (IsIntact)
        {
            return;
        }

        var old = (weights, biases, weight, bias, transposed);
        (weights, biases, weight, bias, transposed) = Fuse(parts, parts[0].weight!.dtype, copy: true);
        // The replaced parameters were views of the old storage: disposing them all lets it go now, not at finalization.
        foreach (var view in old.weights.Concat<Tensor?>(old.biases))
        {
            view?.Dispose();
        }

        old.weight.Dispose();
        old.bias?.Dispose();
        old.transposed.Dispose();
    }

    /// <param name="copy">Fill the fused tensor from the layers' current parameters (else leave it for a loader).</param>
    private static (Parameter[], Parameter?[], Tensor, Tensor?, Tensor) Fuse(Linear[] parts, ScalarType dtype, bool copy)
    {
        var rows = parts.Sum(p => p.weight!.shape[0]);
        var weight = empty(rows, parts[0].weight!.shape[1], dtype);
        var bias = parts[0].bias is null ? null : empty(rows, dtype);
        using var noGrad = no_grad();
        long row = 0;
        foreach (var part in parts)
        {
            var count = part.weight!.shape[0];
            var rowsOfWeight = weight.narrow(0, row, count);
            if (copy)
            {
                rowsOfWeight.copy_(part.weight);
            }

            part.weight = new Parameter(rowsOfWeight, part.weight.requires_grad);
            if (bias is not null)
            {
                var rowsOfBias = bias.narrow(0, row, count);
                if (copy)
                {
                    rowsOfBias.copy_(part.bias!);
                }

                part.bias = new Parameter(rowsOfBias, part.bias!.requires_grad);
            }

            row += count;
        }

        return ([.. parts.Select(p => p.weight!)], [.. parts.Select(p => p.bias)], weight, bias, weight.t());
    }

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

    /// <summary>
    /// The layers' outputs side by side, differentiable in x, as one product: for training a frozen base (LoRA), where one
    /// wide product and its one backward beat a narrow one per layer. Null unless the layers share the fused weight and none trains.
    /// </summary>
    public Tensor? FrozenForward(Tensor x) =>
        IsIntact && !weights.Any(w => w.requires_grad) && !biases.Any(b => b?.requires_grad == true) ? FrozenLinear.Apply(x, weight, bias) : null;

    /// <summary>The layers' outputs for rows x [N, in], side by side on the last dimension.</summary>
    public Tensor Forward(Tensor x) => RowBlockProduct.Linear(x, weight, bias);

    /// <summary>Adds the (single) layer's output for rows x [N, in] to <paramref name="accumulator"/> [N, out] in place.</summary>
    public void AddTo(Tensor accumulator, Tensor x)
    {
        RowBlockProduct.AddTo(accumulator, x, weight, transposed);
        if (bias is not null)
        {
            accumulator.add_(bias, EngineScalars.One);
        }
    }

    public void Dispose()
    {
        transposed.Dispose();
        weight.Dispose();
        bias?.Dispose();
    }
}
