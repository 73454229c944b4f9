using static TorchSharp.torch;

namespace AdaptLab.Engine.Llama;

/// <summary>
/// Keys and values of the positions already run, per layer, for a batch of sequences that are left-padded
/// to a common length: row b's first <c>PadCounts[b]</c> slots hold padding that attention must skip.
/// </summary>
/// <remarks>
/// All layers' keys and values live in one tensor [layers, B, 2 * kvHeads, slots, headDim] (keys in the first kvHeads
/// heads), so the fused projection's keys and values are stored with one copy, and room for a forward pass's new
/// positions is made once, before its layers run (<see cref="Reserve"/>). The slots grow by doubling as positions
/// arrive instead of being allocated for the whole context up front: a model with an 8k context would otherwise
/// allocate and zero hundreds of megabytes per sequence for a short completion.
/// A caller that knows how many slots it will fill says so, and the first allocation is exactly that.
/// </remarks>
public sealed class KvCache : IDisposable
{
    private const int DefaultFirstAllocation = 64;
    private readonly int layers;
    private readonly int kvHeads;
    private readonly int headDim;
    private readonly int firstAllocation;
    private Tensor? storage;
    private Tensor[] layerSlots = [];
    private readonly ScalarType dtype;

    /// <param name="dtype">The model's: keys and values are stored as its layers compute them.</param>
    internal KvCache(LlamaConfig config, int batchSize, IReadOnlyList<int> padCounts, int? expectedLength, ScalarType dtype = ScalarType.Float32)
    {
        this.dtype = dtype;
        if (padCounts.Count != batchSize)
        {
            throw new ArgumentException($"{padCounts.Count} pad counts for a batch of {batchSize}.", nameof(padCounts));
        }

        (layers, kvHeads, headDim) = (config.Layers, config.KvHeads, config.HeadDim);
        PadCounts = [.. padCounts];
        Capacity = config.MaxSeqLen;
        firstAllocation = Math.Clamp(expectedLength ?? DefaultFirstAllocation, 1, Capacity);
    }

    public int BatchSize => PadCounts.Count;

    /// <summary>Slots filled so far (padding included).</summary>
    public int Length { get; private set; }

    public int Capacity { get; }

    public IReadOnlyList<int> PadCounts { get; }

    public bool HasPadding => PadCounts.Any(p => p > 0);

    /// <summary>Makes room for <paramref name="count"/> more slots in every layer, growing the storage if needed.</summary>
    internal void Reserve(int count)
    {
        var needed = Length + count;
        if (storage is not null && storage.shape[3] >= needed)
        {
            return;
        }

        var size = Math.Min(Capacity, Math.Max(needed, storage is null ? firstAllocation : 2 * (int)storage.shape[3]));
        // Allocated outside inference mode, so a cache filled under inference_mode can still be used under no_grad.
        using var normal = inference_mode(false);
        var grown = empty([layers, BatchSize, 2 * kvHeads, size, headDim], dtype).DetachFromDisposeScope();
        if (storage is not null)
        {
            using (NewDisposeScope())
            {
                grown.narrow(3, 0, Length).copy_(storage.narrow(3, 0, Length));
            }

            Release();
        }

        storage = grown;
        layerSlots = [.. Enumerable.Range(0, layers).Select(layer => grown.select(0, layer).DetachFromDisposeScope())];
    }

    /// <summary>Writes the new keys/values [B, kvHeads, T, headDim] after the filled slots; returns all slots so far.</summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor newKeys, Tensor newValues)
    {
        var count = newKeys.shape[2];
        var filled = Filled(layer, count);
        filled.narrow(1, 0, kvHeads).narrow(2, Length, count).copy_(newKeys);
        filled.narrow(1, kvHeads, kvHeads).narrow(2, Length, count).copy_(newValues);
        return Split(filled);
    }

    /// <summary>Like <see cref="Append"/> for keys and values stacked as [B, 2 * kvHeads, T, headDim], keys first.</summary>
    internal (Tensor Keys, Tensor Values) AppendStacked(int layer, Tensor newKeysAndValues)
    {
        var count = newKeysAndValues.shape[2];
        var filled = Filled(layer, count);
        filled.narrow(2, Length, count).copy_(newKeysAndValues);
        return Split(filled);
    }

    internal void Advance(int count) => Length += count;

    /// <summary>The layer's slots up to <see cref="Length"/> + <paramref name="count"/>, which <see cref="Reserve"/> made room for.</summary>
    private Tensor Filled(int layer, long count) =>
        storage is not null && storage.shape[3] >= Length + count
            ? layerSlots[layer].narrow(2, 0, Length + count)
            : throw new InvalidOperationException($"The cache holds no room for {count} more positions; Reserve them first.");

    private (Tensor Keys, Tensor Values) Split(Tensor filled) => (filled.narrow(1, 0, kvHeads), filled.narrow(1, kvHeads, kvHeads));

    public void Dispose() => Release();

    private void Release()
    {
        foreach (var slots in layerSlots)
        {
            slots.Dispose();
        }

        storage?.Dispose();
    }
}
