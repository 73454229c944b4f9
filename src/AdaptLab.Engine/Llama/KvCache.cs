using static TorchSharp.torch;

namespace AdaptLab.Engine.Llama;

/// <summary>
/// Keys and values of the positions already run, per layer, for a batch of sequences that are left-padded
/// to a common length: row b's first <c>PadCounts[b]</c> slots hold padding that attention must skip.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor[] keys;
    private readonly Tensor[] values;

    internal KvCache(LlamaConfig config, int batchSize, IReadOnlyList<int> padCounts)
    {
        if (padCounts.Count != batchSize)
        {
            throw new ArgumentException($"{padCounts.Count} pad counts for a batch of {batchSize}.", nameof(padCounts));
        }

        long[] shape = [batchSize, config.KvHeads, config.MaxSeqLen, config.HeadDim];
        keys = [.. Enumerable.Range(0, config.Layers).Select(_ => zeros(shape))];
        values = [.. Enumerable.Range(0, config.Layers).Select(_ => zeros(shape))];
        PadCounts = [.. padCounts];
        Capacity = config.MaxSeqLen;
    }

    public int BatchSize => PadCounts.Count;

    /// <summary>Slots filled so far (padding included).</summary>
    public int Length { get; private set; }

    public int Capacity { get; }

    public IReadOnlyList<int> PadCounts { get; }

    public bool HasPadding => PadCounts.Any(p => p > 0);

    /// <summary>Writes the new keys/values [B, kvHeads, T, headDim] after the filled slots; returns all slots so far.</summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor newKeys, Tensor newValues)
    {
        var count = newKeys.shape[2];
        keys[layer].narrow(2, Length, count).copy_(newKeys);
        values[layer].narrow(2, Length, count).copy_(newValues);
        return (keys[layer].narrow(2, 0, Length + count), values[layer].narrow(2, 0, Length + count));
    }

    internal void Advance(int count) => Length += count;

    public void Dispose()
    {
        foreach (var tensor in keys.Concat(values))
        {
            tensor.Dispose();
        }
    }
}
