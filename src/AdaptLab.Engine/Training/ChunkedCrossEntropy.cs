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
    /// A chunk's float32 logits hold up to 32M values (128 MB): 682 rows of a 49,152-token vocabulary. Smaller chunks
    /// cut memory further but multiply by thinner products: on 2 cores, 85-row chunks made a LoRA step 6% slower.
    /// </summary>
    public const long ChunkValues = 1L << 25;

    /// <param name="hidden">[N, dim]: the trunk's normalized output, in the autograd graph when <paramref name="gradientScale"/> is given.</param>
    /// <param name="targets">[N] int64: each position's next token, or <paramref name="ignore"/> where it has none.</param>
    /// <param name="weight">[vocab, dim]: the output layer (the embedding, when tied).</param>
    /// <param name="gradientScale">Back-propagates the loss times this (1 / accumulated batches); null computes the loss alone.</param>
    /// <param name="chunkValues">Logits per chunk (its rows are this over the vocabulary).</param>
    /// <returns>The mean loss over the positions with a target, and how many there are.</returns>
    public static (double Loss, long Tokens) Compute(Tensor hidden, Tensor targets, Tensor weight, long ignore, double? gradientScale, long chunkValues = ChunkValues)
    {
        using var scope = NewDisposeScope();
        using var ignored = ignore.ToScalar(); // held for the call, not implicit (see EngineScalars)
        var positions = nonzero(targets.ne(ignored)).view(-1);
        var count = positions.shape[0];
        if (count == 0)
        {
            return (0, 0);
        }

        var chunk = Math.Max(1, chunkValues / weight.shape[0]);
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
                var logProbabilities = nn.functional.linear(rows, w).to(ScalarType.Float32).log_softmax(1);
                total -= logProbabilities.gather(1, target).sum().item<float>();
                if (gradHidden is null)
                {
                    continue;
                }

                // scale · (softmax - one-hot): exp(log p + log scale), then minus the scale at the target; two passes over the chunk.
                var scale = gradientScale!.Value / count;
                using var logScale = Math.Log(scale).ToScalar();
                using var minusScale = (-scale).ToScalar();
                var grad = logProbabilities.add_(logScale).exp_();
                grad.scatter_add_(1, target, full(target.shape, minusScale, dtype: ScalarType.Float32));
                var typed = grad.to(w.dtype);
                gradHidden.index_copy_(0, index, typed.mm(w));
                gradWeight?.add_(typed.t().mm(rows).to(ScalarType.Float32));
            }
        }

        if (gradHidden is not null)
        {
            // d/dx of sum(x * g) is g: one backward pass carries both gradients into the graph, accumulating with any other use of the weight.
            var surrogate = (hidden * gradHidden).sum();
            if (gradWeight is not null)
            {
                surrogate = surrogate + (weight * gradWeight.to(weight.dtype)).sum();
            }

            surrogate.backward();
        }

        return (total / count, count);
    }
}
