using AdaptLab.Engine.Constrained;
using AdaptLab.Engine.Llama;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Generation;

/// <summary>Autoregressive decoding with a KV cache, for one prompt or a left-padded batch of them.</summary>
public sealed class TextGenerator(LlamaModel model, ITokenizer tokenizer)
{
    private readonly JsonMaskers jsonMaskers = new(() => new TokenizerVocabulary(tokenizer));

    public LlamaModel Model => model;

    public ITokenizer Tokenizer => tokenizer;

    /// <summary>Compiles (once per schema) the token masks that constrain decoding to <paramref name="schema"/>.</summary>
    /// <exception cref="ArgumentException">The schema uses what constrained decoding does not support.</exception>
    public void PrepareSchema(System.Text.Json.JsonElement schema) => jsonMaskers.For(schema);

    /// <summary>Streams the completion of one prompt (token ids, normally starting with BOS).</summary>
    public IEnumerable<CompletionChunk> Complete(IReadOnlyList<int> prompt, GenerationOptions options, CancellationToken cancellationToken = default) =>
        CompleteBatch([prompt], options, cancellationToken).Select(step => step.Chunk);

    /// <summary>
    /// Completes several prompts in one batch, yielding each row's chunks as the steps produce them. Greedy
    /// results equal single runs; seeded sampling is reproducible for the same batch, as rows share one generator.
    /// </summary>
    public IEnumerable<(int Row, CompletionChunk Chunk)> CompleteBatch(
        IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options, CancellationToken cancellationToken = default)
    {
        options.Validate();
        if (prompts.Count == 0)
        {
            throw new ArgumentException("No prompts to complete.", nameof(prompts));
        }

        foreach (var prompt in prompts)
        {
            if (prompt.Count == 0 || prompt.Count > model.Config.MaxSeqLen)
            {
                throw new ArgumentException(
                    $"A prompt has {prompt.Count} tokens; it needs 1 to {model.Config.MaxSeqLen} (the model's context).", nameof(prompts));
            }

            foreach (var id in prompt.Where(id => id < 0 || id >= model.Config.VocabSize).Take(1))
            {
                throw new ArgumentException($"Token id {id} is outside the vocabulary of {model.Config.VocabSize}.", nameof(prompts));
            }
        }

        // The last generated token is never fed back, so a full context still yields one more token.
        var limit = Math.Min(options.MaxTokens ?? int.MaxValue, model.Config.MaxSeqLen - prompts.Max(p => p.Count) + 1);
        var constraints = options.JsonSchema is { } schema ? new RowConstraints(jsonMaskers.For(schema), tokenizer, prompts, limit) : null;
        return Run(prompts, options, limit, constraints, cancellationToken);
    }

    private IEnumerable<(int Row, CompletionChunk Chunk)> Run(
        IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options, int limit, RowConstraints? constraints, CancellationToken cancellationToken)
    {
        var longest = prompts.Max(p => p.Count);
        var rows = prompts
            .Select(p => new RowState(tokenizer, new IncrementalDecoder(tokenizer, p[^1]), new StopSequenceFilter(options.StopSequences)))
            .ToArray();
        using var sampler = new TokenSampler(options);
        // With a token limit the slots needed are known: the prompt, then every generated token but the last.
        using var cache = model.NewCache([.. prompts.Select(p => longest - p.Count)], options.MaxTokens is null ? null : longest + limit - 1);

        // Padding slots hold token 0; attention never reads them.
        var input = prompts.SelectMany(p => Enumerable.Repeat(0L, longest - p.Count).Concat(p.Select(id => (long)id))).ToArray();
        for (var step = 0; step < limit && rows.Any(r => !r.Finished); step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var blocked = constraints?.Blocked(row => rows[row].Finished, limit - step);
            var next = Step(input, prompts.Count, sampler, cache, blocked);
            for (var row = 0; row < rows.Length; row++)
            {
                if (!rows[row].Finished)
                {
                    foreach (var chunk in rows[row].Accept((int)next[row]))
                    {
                        yield return (row, chunk);
                    }

                    // A constrained completion ends with its JSON value.
                    if (constraints?.Accept(row, (int)next[row]) == true && !rows[row].Finished)
                    {
                        yield return (row, rows[row].Finish(FinishReason.EndOfSequence));
                    }
                }
            }

            input = next;
        }

        for (var row = 0; row < rows.Length; row++)
        {
            if (!rows[row].Finished)
            {
                yield return (row, rows[row].Finish(FinishReason.Length));
            }
        }
    }

    private long[] Step(long[] input, int batch, TokenSampler sampler, KvCache cache, Tensor? blocked)
    {
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        var tokens = tensor(input, [batch, input.Length / batch]);
        var logits = model.NextTokenLogits(tokens, cache);
        return sampler.Sample(blocked is null ? logits : logits.masked_fill(blocked, EngineScalars.NegativeInfinity));
    }

    private sealed class RowState(ITokenizer tokenizer, IncrementalDecoder decoder, StopSequenceFilter stops)
    {
        public bool Finished { get; private set; }

        public IEnumerable<CompletionChunk> Accept(int token)
        {
            if (tokenizer.EndsText(token))
            {
                return [new CompletionChunk("", token), Finish(FinishReason.EndOfSequence)];
            }

            var text = stops.Push(decoder.Next(token));
            return stops.Stopped
                ? [new CompletionChunk(text, token), Finish(FinishReason.StopSequence)]
                : [new CompletionChunk(text, token)];
        }

        public CompletionChunk Finish(FinishReason reason)
        {
            Finished = true;
            if (stops.Stopped)
            {
                return new CompletionChunk("", null, FinishReason.StopSequence);
            }

            // Bytes of a character cut off by the end decode to U+FFFD, which can still complete a stop sequence.
            var text = stops.Push(decoder.Flush());
            return stops.Stopped
                ? new CompletionChunk(text, null, FinishReason.StopSequence)
                : new CompletionChunk(text + stops.Flush(), null, reason);
        }
    }
}
