using AdaptLab.Engine.Llama;
using AdaptLab.Engine.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Training;

/// <summary>
/// The mean cross-entropy of the positions that have a target, and its gradient, without ever holding the
/// [positions, vocab] logits. The output layer runs over chunks of the target positions only; each chunk's softmax
/// gradient goes at once into the hidden states' gradient (and the output layer's, when that trains), so memory peaks
/// at one chunk's logits, and prompt positions (no target) cost no output-layer work. The gradient is the plain
/// cross-entropy's: (softmax - one-hot) / positions, through the same products in the model's type.
/// </summary>
internal static class ChunkedCrossEntropy
{
    /// <summary>
    /// A float32 model's chunk holds up to 32M logits (128 MB): 682 rows of a 49,152-token vocabulary. Smaller chunks
    /// cut memory further but multiply by thinner products: on 2 cores, 85-row chunks made a LoRA step 6% slower.
    /// A bf16 model's chunks hold half as many (<see cref="ChunkValuesFor"/>).
    /// </summary>
    public const long ChunkValues = 1L << 25;

    /// <summary>
    /// Logits per chunk for a model of <paramref name="type"/>: in proportion to its element size, because the chunk's
    /// float32 logits stay float32 while the activations shrink with the type. In bf16 (SmolLM2-135M's shape, 4 × 128
    /// tokens) the whole-batch chunk had been a fifth of the step's peak memory, and took it over PyTorch's.
    /// </summary>
    public static long ChunkValuesFor(ScalarType type) => type is ScalarType.BFloat16 or ScalarType.Float16 ? ChunkValues / 2 : ChunkValues;

    /// <param name="hidden">[N, dim]: the trunk's normalized output, in the autograd graph when <paramref name="gradientScale"/> is given.</param>
    /// <param name="targets">[N] int64: each position's next token, or <paramref name="ignore"/> where it has none.</param>
    /// <param name="weight">[vocab, dim]: the output layer (the embedding, when tied).</param>
    /// <param name="gradientScale">Back-propagates the loss times this (1 / accumulated batches); null computes the loss alone.</param>
    /// <param name="chunkValues">Logits per chunk (its rows are this over the vocabulary); by default <see cref="ChunkValuesFor"/> the weight's type.</param>
    /// <returns>The mean loss over the positions with a target, and how many there are.</returns>
    public static (double Loss, long Tokens) Compute(Tensor hidden, Tensor targets, Tensor weight, long ignore, double? gradientScale, long? chunkValues = null)
    {
        using var scope = NewDisposeScope();
        using var ignored = ignore.ToScalar(); // held for the call, not implicit (see EngineScalars)
        var positions = nonzero(targets.ne(ignored)).view(-1);
        var count = positions.shape[0];
        if (count == 0)
        {
            return (0, 0);
        }

        // As many chunks as the limit needs, of even size: 512 rows in 256-row halves, not 341 + 171.
        var maxRows = Math.Max(1, (chunkValues ?? ChunkValuesFor(weight.dtype)) / weight.shape[0]);
        var chunks = (count + maxRows - 1) / maxRows;
        var chunk = (count + chunks - 1) / chunks;
        var gradHidden = gradientScale is null ? null : zeros_like(hidden);
        var gradWeight = gradientScale is not null && weight.requires_grad ? zeros(weight.shape, dtype: ScalarType.Float32) : null;
        var total = 0.0;
        using (no_grad())
        {
            var h = hidden.detach();
            var w = weight.detach();
            for (long start = 0; start < count; start += chunk)
            {
                using var inner = NewDisposeScope();
                var index = positions.narrow(0, start, Math.Min(chunk, count - start));
                var rows = h.index_select(0, index);
                var target = targets.index_select(0, index).unsqueeze(1);
                // Each full-size intermediate is freed as soon as the next exists, so a chunk peaks at two of them.
                var logProbabilities = LogSoftmax(TeamSgemm.Linear(rows, w) ?? nn.functional.linear(rows, w));
                total -= logProbabilities.gather(1, target).sum().item<float>();
                if (gradHidden is null)
                {
                    continue;
                }

                // scale · (softmax - one-hot): exp(log p + log scale), then minus the scale at the target; two passes over the chunk.
                var scale = gradientScale!.Value / count;
                using var logScale = Math.Log(scale).ToScalar();
                using var minusScale = (-scale).ToScalar();
                var grad = logProbabilities.add_(logScale, EngineScalars.One).exp_();
                grad.scatter_add_(1, target, full(target.shape, minusScale, dtype: ScalarType.Float32));
                var typed = grad.to(w.dtype, disposeAfter: true);
                gradHidden.index_copy_(0, index, TeamSgemm.Product(typed, w) ?? typed.mm(w));
                gradWeight?.add_(typed.t().mm(rows).to(ScalarType.Float32), EngineScalars.One);
            }
        }

        if (gradHidden is not null)
        {
            // d/dx of sum(x * g) is g: one backward pass carries both gradients into the graph, accumulating with any other use of the weight.
            var surrogate = (hidden * gradHidden).sum();
            if (gradWeight is not null)
            {
                surrogate = surrogate.add((weight * gradWeight.to(weight.dtype)).sum(), EngineScalars.One);
            }

            surrogate.backward();
        }

        return (total / count, count);
    }

    /// <summary>The float32 log-softmax of a chunk's logits, which it disposes (and their float32 copy, in a narrower type).</summary>
    private static Tensor LogSoftmax(Tensor logits)
    {
        using var wide = logits.to(ScalarType.Float32, disposeAfter: true);
        return wide.log_softmax(1);
    }
}
