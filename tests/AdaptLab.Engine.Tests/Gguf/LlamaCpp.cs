using LLama;
using LLama.Common;
using LLama.Native;

namespace AdaptLab.Engine.Tests.Gguf;

/// <summary>llama.cpp itself (through LLamaSharp's CPU backend): greedy decoding and tokenization of a GGUF file.</summary>
internal sealed class LlamaCpp : IDisposable
{
    private static readonly Lazy<bool> Quiet = new(() =>
    {
        // llama.cpp logs every load at length; a failure shows in the exception, not the log.
        NativeLibraryConfig.All.WithLogCallback((_, _) => { });
        return true;
    });

    private readonly LLamaWeights weights;
    private readonly ModelParams parameters;

    public LlamaCpp(string path)
    {
        _ = Quiet.Value;
        // A float32 KV cache and plain attention (llama.cpp keeps float16 keys and values by default, and its fused
        // attention accumulates in float16): the comparison is with a float32 engine.
        parameters = new ModelParams(path)
        {
            ContextSize = 512,
            Threads = 1,
            BatchThreads = 1,
            GpuLayerCount = 0,
            TypeK = GGMLType.GGML_TYPE_F32,
            TypeV = GGMLType.GGML_TYPE_F32,
            FlashAttention = false,
        };
        weights = LLamaWeights.LoadFromFile(parameters);
    }

    public IReadOnlyList<int> Tokenize(string text) => [.. weights.Tokenize(text, add_bos: true, special: false, System.Text.Encoding.UTF8).Select(t => (int)t)];

    /// <summary>The argmax token after each position, from the prompt's last on, until end-of-sequence or <paramref name="maxTokens"/>.</summary>
    public List<int> Greedy(IReadOnlyList<int> prompt, int maxTokens, int endOfText = -1)
    {
        using var context = weights.CreateContext(parameters);
        var batch = new LLamaBatch();
        for (var i = 0; i < prompt.Count; i++)
        {
            batch.Add(prompt[i], i, LLamaSeqId.Zero, i == prompt.Count - 1);
        }

        var generated = new List<int>();
        var position = prompt.Count;
        while (generated.Count < maxTokens)
        {
            var result = context.NativeHandle.Decode(batch);
            if (result != DecodeResult.Ok)
            {
                throw new InvalidOperationException($"llama.cpp decode failed: {result}");
            }

            var logits = context.NativeHandle.GetLogitsIth(batch.TokenCount - 1);
            var next = 0;
            for (var v = 1; v < logits.Length; v++)
            {
                if (logits[v] > logits[next])
                {
                    next = v;
                }
            }

            generated.Add(next);
            if (next == endOfText)
            {
                break;
            }

            batch.Clear();
            batch.Add(next, position++, LLamaSeqId.Zero, true);
        }

        return generated;
    }

    /// <summary>The logits [position][vocab] after each of <paramref name="tokens"/>, from one pass over them.</summary>
    public float[][] Logits(IReadOnlyList<int> tokens)
    {
        using var context = weights.CreateContext(parameters);
        var batch = new LLamaBatch();
        for (var i = 0; i < tokens.Count; i++)
        {
            batch.Add(tokens[i], i, LLamaSeqId.Zero, true);
        }

        var result = context.NativeHandle.Decode(batch);
        return result == DecodeResult.Ok
            ? [.. Enumerable.Range(0, tokens.Count).Select(i => context.NativeHandle.GetLogitsIth(i).ToArray())]
            : throw new InvalidOperationException($"llama.cpp decode failed: {result}");
    }

    public void Dispose() => weights.Dispose();
}
