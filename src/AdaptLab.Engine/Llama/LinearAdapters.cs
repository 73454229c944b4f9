using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Llama;

/// <summary>
/// The adapters attached to a model's projections, shared by its layers: each projection's output gains its adapter's.
/// While any is attached the layers take their separate (unfused) path; merging folds them into the weights instead.
/// </summary>
internal sealed class LinearAdapters
{
    private readonly Dictionary<Linear, LowRankAdapter> adapters = new(ReferenceEqualityComparer.Instance);

    public bool IsEmpty => adapters.Count == 0;

    public void Attach(Linear layer, LowRankAdapter adapter) => adapters[layer] = adapter;

    /// <summary>The projection of x, plus its adapter's when it has one.</summary>
    public Tensor Project(Linear layer, Tensor x) => Add(layer, x, FrozenLinear.Apply(x, layer.weight!, layer.bias));

    /// <summary><paramref name="projected"/> (the layer's output for x, computed elsewhere) plus its adapter's output, if any.</summary>
    public Tensor Add(Linear layer, Tensor x, Tensor projected) =>
        adapters.TryGetValue(layer, out var adapter) ? projected.add(adapter.forward(x), EngineScalars.One) : projected;

    /// <summary>W += scale·B·A for every adapter, in place (the fused weights stay shared), then detaches them all.</summary>
    public void Merge()
    {
        using var noGrad = no_grad();
        foreach (var (layer, adapter) in adapters)
        {
            using var delta = adapter.Delta();
            layer.weight!.add_(delta, EngineScalars.One);
        }

        adapters.Clear();
    }
}
