using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Llama;

/// <summary>
/// A Llama-family decoder as trainable TorchSharp modules, with Meta's parameter names
/// (tok_embeddings, layers.N.attention.wq, ..., norm, output) so state dicts load by name. Made by the checkpoint
/// loaders, which fill every parameter: the constructor leaves the weights uninitialized.
/// </summary>
public sealed class LlamaModel : nn.Module<Tensor, KvCache?, Tensor>
{
    private readonly TokenEmbedding tok_embeddings;
    private readonly ModuleList<TransformerBlock> layers;
    private readonly RmsNorm norm;
    private readonly Linear? output;
    private readonly RotaryEmbedding rotary;

    internal LlamaModel(LlamaConfig config) : base(nameof(LlamaModel))
    {
        config.Validate();
        Config = config;
        tok_embeddings = new TokenEmbedding(config.VocabSize, config.Dim);
        layers = new ModuleList<TransformerBlock>([.. Enumerable.Range(0, config.Layers).Select(i => new TransformerBlock(config, i, Adapters))]);
        norm = new RmsNorm(config.Dim, config.NormEps);
        rotary = new RotaryEmbedding(config.HeadDim, config.MaxSeqLen, config.RopeTheta, config.RopeScaling);
        register_module("tok_embeddings", tok_embeddings);
        register_module("layers", layers);
        register_module("norm", norm);
        register_module("rotary", rotary);
        if (!config.SharedClassifier)
        {
            output = nn.Linear(config.Dim, config.VocabSize, hasBias: false, device: FusedLinear.Unallocated);
            output.weight = nn.Parameter(empty(config.VocabSize, config.Dim));
            register_module("output", output);
        }
    }

    public LlamaConfig Config { get; }

    /// <summary>
    /// Converts every weight to <paramref name="dtype"/> (bfloat16 for training at half the memory), keeping each fused
    /// group of projections one tensor and releasing the float32 storage; the rotary tables stay float32.
    /// </summary>
    internal void ConvertTo(ScalarType dtype)
    {
        // A module at a time, its float32 storage released before the next: converting never holds two copies of the model.
        IEnumerable<nn.Module> modules = [tok_embeddings, .. layers, norm, .. output is null ? Array.Empty<nn.Module>() : [output]];
        foreach (var module in modules)
        {
            var before = module.parameters().ToList();
            module.to(dtype);
            (module as TransformerBlock)?.Refuse();
            // The replaced parameters would hold their storage until finalized.
            var current = module.parameters().ToHashSet(ReferenceEqualityComparer.Instance);
            foreach (var old in before.Where(p => !current.Contains(p)))
            {
                old.Dispose();
            }
        }
    }

    /// <summary>LoRA adapters on the projections, attached for training or until merged; none by default.</summary>
    internal LinearAdapters Adapters { get; } = new();

    /// <summary>
    /// An empty cache for a batch whose rows are left-padded by <paramref name="padCounts"/> slots, sized at first for
    /// <paramref name="expectedLength"/> slots (padding included) when the caller knows it; it grows past that if needed.
    /// </summary>
    public KvCache NewCache(IReadOnlyList<int> padCounts, int? expectedLength = null) =>
        new(Config, padCounts.Count, padCounts, expectedLength, tok_embeddings.Weight.dtype);

    /// <summary>
    /// Logits [B, T, vocab] for tokens [B, T] (int64). Without a cache the tokens start at position 0 with
    /// causal attention (training); with one they continue after the cached slots, which they are appended to.
    /// </summary>
    public override Tensor forward(Tensor tokens, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        return Classify(Trunk(tokens, cache, lastPositionOnly: false)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Training logits [B, T, vocab] for rows that each hold several sequences one after another (packing).
    /// <paramref name="segments"/> [B, T] (int64) numbers each token's sequence; a token attends only to the earlier
    /// tokens of its own sequence, at positions counted from that sequence's start, so a packed row computes for each
    /// sequence what it would compute alone.
    /// </summary>
    internal Tensor ForwardPacked(Tensor tokens, Tensor segments)
    {
        using var scope = NewDisposeScope();
        return Classify(HiddenPacked(tokens, segments)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The normalized hidden states [B, T, dim] that the output layer (<see cref="OutputWeight"/>) turns into logits:
    /// for training, which applies that layer itself (<see cref="Training.ChunkedCrossEntropy"/>). With
    /// <paramref name="segments"/>, rows are packed as in <see cref="ForwardPacked"/>.
    /// </summary>
    internal Tensor Hidden(Tensor tokens, Tensor? segments)
    {
        using var scope = NewDisposeScope();
        return (segments is null ? Trunk(tokens, null, lastPositionOnly: false) : HiddenPacked(tokens, segments)).MoveToOuterDisposeScope();
    }

    /// <summary>The output layer's weight [vocab, dim]: its own, or the token embedding when they are tied.</summary>
    internal Tensor OutputWeight => output?.weight ?? tok_embeddings.Weight;

    private Tensor HiddenPacked(Tensor tokens, Tensor segments)
    {
        var length = tokens.shape[1];
        var index = arange(length, dtype: ScalarType.Int64).expand_as(segments);
        var starts = segments.ne(segments.roll(1, 1));
        starts.select(1, 0).fill_(EngineScalars.True);
        var positions = index - where(starts, index, zeros_like(index)).cummax(1).values;
        var causal = ones(length, length, dtype: ScalarType.Bool).tril_();
        var visible = segments.unsqueeze(2).eq(segments.unsqueeze(1)).logical_and_(causal);
        var inputs = new AttentionInputs(rotary.At(positions), GroupRows(visible.unsqueeze(1)), IsCausal: false, Cache: null, Fused: false);
        var x = tok_embeddings.forward(tokens);
        foreach (var layer in layers)
        {
            x = layer.forward(x, inputs);
        }

        return norm.forward(x);
    }

    /// <summary>Like <see cref="forward"/> but only the last position's logits [B, vocab], as generation needs.</summary>
    public Tensor NextTokenLogits(Tensor tokens, KvCache cache)
    {
        using var scope = NewDisposeScope();
        return Classify(Trunk(tokens, cache, lastPositionOnly: true)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The normalized hidden states [B, T, dim] (or [B, dim] of the last position). When autograd is off the layers
    /// take their inference path: fused projections, in-place updates of one residual tensor, fewer native calls.
    /// </summary>
    private Tensor Trunk(Tensor tokens, KvCache? cache, bool lastPositionOnly)
    {
        if (tokens.dim() != 2 || tokens.dtype != ScalarType.Int64)
        {
            throw new ArgumentException($"Expected int64 tokens [batch, length], got {tokens.dtype} {tokens}.", nameof(tokens));
        }

        var start = cache?.Length ?? 0;
        var (batch, length) = (tokens.shape[0], (int)tokens.shape[1]);
        if (start + length > Config.MaxSeqLen)
        {
            throw new ArgumentException(
                $"{start} cached + {length} new positions exceed the model's context of {Config.MaxSeqLen}.", nameof(tokens));
        }

        cache?.Reserve(length);
        var fused = !is_grad_enabled() && layers.All(layer => layer.CanFuse);
        var inputs = AttentionInputsFor(batch, start, length, cache, fused);
        var x = tok_embeddings.forward(tokens);
        if (fused)
        {
            var rows = x.view(batch * length, Config.Dim);
            foreach (var layer in layers)
            {
                layer.AddInference(rows, batch, length, inputs);
            }
        }
        else
        {
            foreach (var layer in layers)
            {
                x = layer.forward(x, inputs);
            }
        }

        cache?.Advance(length);
        if (lastPositionOnly)
        {
            x = x.select(1, length - 1);
        }

        return fused ? norm.Inference(x) : norm.forward(x);
    }

    private Tensor Classify(Tensor hidden) =>
        is_grad_enabled() ? nn.functional.linear(hidden, OutputWeight) : RowBlockProduct.Linear(hidden, OutputWeight);

    private AttentionInputs AttentionInputsFor(long batch, int start, int length, KvCache? cache, bool fused)
    {
        if (cache is null || !cache.HasPadding)
        {
            var rotation = rotary.At(start, length);
            // With nothing cached before them, the new positions need plain causal attention (no mask to build).
            if (cache is null || length == 1 || start == 0)
            {
                return new AttentionInputs(rotation, Mask: null, IsCausal: length > 1, cache, fused);
            }

            var slots = arange(start, start + length, dtype: ScalarType.Int64);
            var causal = arange(start + length, dtype: ScalarType.Int64).unsqueeze(0) <= slots.unsqueeze(1);
            return new AttentionInputs(rotation, GroupRows(causal.unsqueeze(0).unsqueeze(0)), IsCausal: false, cache, fused);
        }

        // Left padding: row b's real tokens start at slot pads[b], so its positions count from there and
        // its queries skip the padded keys. A padded query still sees its own slot, which keeps its
        // (unused) output finite: a row of all-masked scores would turn into NaN and leak through the cache.
        var querySlots = arange(start, start + length, dtype: ScalarType.Int64);
        var pads = tensor(cache.PadCounts.Select(p => (long)p).ToArray()).unsqueeze(1);
        var positions = (querySlots.unsqueeze(0) - pads).clamp_min(EngineScalars.Zero);
        var keys = arange(start + length, dtype: ScalarType.Int64).view(1, 1, -1);
        var queries = querySlots.view(1, -1, 1);
        var visible = (keys <= queries) & ((keys >= pads.unsqueeze(2)) | (keys == queries));
        return new AttentionInputs(rotary.At(positions), GroupRows(visible.unsqueeze(1)), IsCausal: false, cache, fused);
    }

    /// <summary>
    /// Repeats a mask's query rows [B, 1, T, keys] for the query heads sharing a key/value head, as grouped
    /// attention folds them: [B, 1, groups * T, keys], once per forward instead of once per layer.
    /// </summary>
    private Tensor GroupRows(Tensor mask)
    {
        var groups = Config.Heads / Config.KvHeads;
        return groups == 1
            ? mask
            : mask.unsqueeze(2).expand(-1, -1, groups, -1, -1).reshape(mask.shape[0], 1, groups * mask.shape[2], -1);
    }
}
