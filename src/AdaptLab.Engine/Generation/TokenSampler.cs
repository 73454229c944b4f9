using AdaptLab.Engine.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Generation;

/// <summary>Picks the next token of each row from logits [B, vocab] by <see cref="GenerationOptions"/>.</summary>
internal sealed class TokenSampler : IDisposable
{
    private readonly GenerationOptions options;
    private readonly Generator? random;

    public TokenSampler(GenerationOptions options)
    {
        this.options = options;
        if (options.Temperature > 0)
        {
            random = new Generator(unchecked((ulong)(options.Seed ?? Random.Shared.NextInt64())));
        }
    }

    public long[] Sample(Tensor logits)
    {
        using var scope = NewDisposeScope();
        if (random is null)
        {
            return logits.argmax(-1).data<long>().ToArray();
        }

        // Scalars held for the call, not implicit ones libtorch may read after they are finalized (see EngineScalars).
        using var temperature = options.Temperature.ToScalar();
        var scaled = logits.to(ScalarType.Float32).div(temperature);
        if (options.TopK is { } k && k < scaled.shape[1])
        {
            var kthLargest = scaled.topk(k, dim: -1).values.narrow(1, k - 1, 1);
            scaled = scaled.masked_fill(scaled < kthLargest, EngineScalars.NegativeInfinity);
        }

        var probabilities = nn.functional.softmax(scaled, -1);
        if (options.TopP is { } p && p < 1)
        {
            // Keep the most likely tokens until their mass reaches p; the token that crosses p stays.
            using var mass = p.ToScalar();
            var (sorted, order) = probabilities.sort(-1, descending: true);
            var massBefore = sorted.cumsum(-1) - sorted;
            var kept = sorted.masked_fill(massBefore.ge(mass), EngineScalars.Zero);
            probabilities = zeros_like(probabilities).scatter(-1, order, kept);
        }

        return multinomial(probabilities, 1, generator: random).squeeze(1).data<long>().ToArray();
    }

    public void Dispose() => random?.Dispose();
}
