using static TorchSharp.torch;

namespace AdaptLab.Engine.Llama;

/// <summary>
/// Products of a few rows x [M, in] with a large weight [out, in] (x · weightᵀ), as each decoding step runs them. For
/// one row libtorch hands MKL a matrix-vector product, which reads the weight at one thread's memory bandwidth
/// (13-14 GB/s on the 2-core bench machine) however many threads it has. Split into one block of output rows per
/// thread and run as a batched product, the blocks are read in parallel (23-27 GB/s there): a 135M model's decoding
/// streams all its weights every token, so this is its speed. Larger row counts keep the single product, whose
/// kernel parallelises well.
/// </summary>
internal static class RowBlockProduct
{
    /// <summary>The most rows split this way (a batch of 8 decoding rows still gained 10-40%).</summary>
    public const int MaxRows = 16;

    /// <summary>
    /// The smallest weight split (1 MiB of float32): a smaller one comes from cache, and waking a second thread cost
    /// more than it saved (stories260K's decoding lost 28-31% of its speed).
    /// </summary>
    public const long MinWeightElements = 1 << 18;

    /// <summary>x · weightᵀ (+ bias) for x [M, in] and a contiguous weight [out, in].</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null) => Linear(x, weight, bias, Blocks(x, weight));

    /// <summary>x · weightᵀ (+ bias) with the weight's output rows in <paramref name="blocks"/> blocks (1: one product).</summary>
    internal static Tensor Linear(Tensor x, Tensor weight, Tensor? bias, int blocks)
    {
        if (blocks == 1)
        {
            return nn.functional.linear(x, weight, bias);
        }

        var (rows, outputs) = (x.shape[0], weight.shape[0]);
        var product = Split(x, blocks).bmm(WeightBlocks(weight, blocks));
        var result = rows == 1 ? product.view(1, outputs) : product.permute(1, 0, 2).reshape(rows, outputs);
        return bias is null ? result : result.add_(bias, EngineScalars.One);
    }

    /// <summary>Adds x · weightᵀ to <paramref name="accumulator"/> [M, out] in place; <paramref name="transposed"/> is weight.t().</summary>
    public static void AddTo(Tensor accumulator, Tensor x, Tensor weight, Tensor transposed) =>
        AddTo(accumulator, x, weight, transposed, Blocks(x, weight));

    /// <summary>Like <see cref="AddTo(Tensor, Tensor, Tensor, Tensor)"/> with <paramref name="blocks"/> blocks (1: addmm_).</summary>
    internal static void AddTo(Tensor accumulator, Tensor x, Tensor weight, Tensor transposed, int blocks)
    {
        if (blocks == 1)
        {
            accumulator.addmm_(x, transposed);
        }
        else
        {
            accumulator.add_(Linear(x, weight, null, blocks), EngineScalars.One);
        }
    }

    /// <summary>How many blocks to split into: one per thread, or 1 (no split) when it would not pay or fit.</summary>
    private static int Blocks(Tensor x, Tensor weight)
    {
        // Cheapest test first: every check is a native call, and small models make many products per token.
        if (weight.numel() < MinWeightElements || x.shape is not [<= MaxRows, _] || !weight.is_contiguous())
        {
            return 1;
        }

        var threads = get_num_threads();
        return threads > 1 && weight.shape[0] % threads == 0 ? threads : 1;
    }

    /// <summary>x [M, in] repeated (without a copy) for each block: [blocks, M, in].</summary>
    private static Tensor Split(Tensor x, int blocks) => x.unsqueeze(0).expand(blocks, -1, -1);

    /// <summary>weight [out, in] as blocks of output rows, transposed for bmm: [blocks, in, out / blocks].</summary>
    private static Tensor WeightBlocks(Tensor weight, int blocks) =>
        weight.view(blocks, weight.shape[0] / blocks, weight.shape[1]).transpose(1, 2);
}
