using System.Runtime.InteropServices;
using AdaptLab.Engine.Llama;
using static TorchSharp.torch;

namespace AdaptLab.Engine.LlamaC;

/// <summary>
/// Reads llama2.c's legacy checkpoint export: 7 little-endian int32 (dim, hidden_dim, n_layers, n_heads,
/// n_kv_heads, vocab_size, seq_len; a negative vocab_size means a separate classifier), then the fp32
/// weights layer-stacked in a fixed order, then RoPE tables (ignored: recomputed) and the classifier if any.
/// </summary>
public static class LlamaCCheckpoint
{
    private const int HeaderBytes = 7 * sizeof(int);

    public static LlamaModel Load(string path)
    {
        TorchRuntime.EnsureLoaded();
        var bytes = File.ReadAllBytes(path);
        var config = ReadConfig(bytes, path);
        var floats = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(HeaderBytes));
        var expected = ExpectedFloatCount(config);
        if (floats.Length != expected || (bytes.Length - HeaderBytes) % sizeof(float) != 0)
        {
            throw new FormatException(
                $"{path}: a llama2.c checkpoint with {config} has {HeaderBytes + (expected * sizeof(float))} bytes, this file has {bytes.Length}.");
        }

        var model = new LlamaModel(config);
        using (NewDisposeScope())
        {
            model.load_state_dict(StateDict(config, floats), strict: true);
        }

        model.eval();
        return model;
    }

    /// <summary>
    /// Writes <paramref name="model"/> in the same legacy layout (its RoPE tables as llama2.c's export computes them,
    /// at theta 10000), to a temporary file renamed into place, so a crash never leaves half a checkpoint.
    /// </summary>
    public static void Save(LlamaModel model, string path)
    {
        var c = model.Config;
        var state = model.state_dict();
        var temp = path + ".tmp-" + Environment.ProcessId;
        using (var file = new BinaryWriter(File.Create(temp)))
        {
            foreach (var value in new[] { c.Dim, c.HiddenDim, c.Layers, c.Heads, c.KvHeads, c.SharedClassifier ? c.VocabSize : -c.VocabSize, c.MaxSeqLen })
            {
                file.Write(value);
            }

            void Write(Tensor t) => file.Write(MemoryMarshal.AsBytes(t.detach().contiguous().to(ScalarType.Float32).data<float>().ToArray().AsSpan()));
            void PerLayer(string name)
            {
                for (var i = 0; i < c.Layers; i++)
                {
                    Write(state[$"layers.{i}.{name}"]);
                }
            }

            Write(state["tok_embeddings.weight"]);
            foreach (var name in new[] { "attention_norm.weight", "attention.wq.weight", "attention.wk.weight", "attention.wv.weight", "attention.wo.weight",
                "ffn_norm.weight", "feed_forward.w1.weight", "feed_forward.w2.weight", "feed_forward.w3.weight" })
            {
                PerLayer(name);
            }

            Write(state["norm.weight"]);
            var half = c.HeadDim / 2;
            foreach (var part in new Func<double, double>[] { Math.Cos, Math.Sin })
            {
                for (var pos = 0; pos < c.MaxSeqLen; pos++)
                {
                    for (var i = 0; i < half; i++)
                    {
                        file.Write((float)part(pos / Math.Pow(10000, 2.0 * i / c.HeadDim)));
                    }
                }
            }

            if (!c.SharedClassifier)
            {
                Write(state["output.weight"]);
            }
        }

        File.Move(temp, path, overwrite: true);
    }

    private static LlamaConfig ReadConfig(byte[] bytes, string path)
    {
        if (bytes.Length < HeaderBytes)
        {
            throw new FormatException($"{path}: {bytes.Length} bytes is too short for a llama2.c checkpoint header.");
        }

        var h = MemoryMarshal.Cast<byte, int>(bytes.AsSpan(0, HeaderBytes));
        var config = new LlamaConfig(
            Dim: h[0], HiddenDim: h[1], Layers: h[2], Heads: h[3], KvHeads: h[4],
            VocabSize: Math.Abs(h[5]), MaxSeqLen: h[6], SharedClassifier: h[5] > 0);
        try
        {
            config.Validate();
        }
        catch (FormatException e)
        {
            throw new FormatException($"{path}: not a llama2.c checkpoint. {e.Message}", e);
        }

        return config;
    }

    private static long ExpectedFloatCount(LlamaConfig c)
    {
        long perLayer = (2L * c.Dim) + (2L * c.Dim * c.Dim) + (2L * c.KvDim * c.Dim) + (3L * c.HiddenDim * c.Dim);
        long total = ((long)c.VocabSize * c.Dim) + (c.Layers * perLayer) + c.Dim + ((long)c.MaxSeqLen * c.HeadDim);
        return total + (c.SharedClassifier ? 0 : (long)c.VocabSize * c.Dim);
    }

    private static Dictionary<string, Tensor> StateDict(LlamaConfig c, ReadOnlySpan<float> floats)
    {
        var reader = new FloatReader(floats);
        var dict = new Dictionary<string, Tensor> { ["tok_embeddings.weight"] = reader.Take(c.VocabSize, c.Dim) };
        AddPerLayer(dict, c, "attention_norm.weight", reader.Take(c.Layers, c.Dim));
        AddPerLayer(dict, c, "attention.wq.weight", reader.Take(c.Layers, c.Dim, c.Dim));
        AddPerLayer(dict, c, "attention.wk.weight", reader.Take(c.Layers, c.KvDim, c.Dim));
        AddPerLayer(dict, c, "attention.wv.weight", reader.Take(c.Layers, c.KvDim, c.Dim));
        AddPerLayer(dict, c, "attention.wo.weight", reader.Take(c.Layers, c.Dim, c.Dim));
        AddPerLayer(dict, c, "ffn_norm.weight", reader.Take(c.Layers, c.Dim));
        AddPerLayer(dict, c, "feed_forward.w1.weight", reader.Take(c.Layers, c.HiddenDim, c.Dim));
        AddPerLayer(dict, c, "feed_forward.w2.weight", reader.Take(c.Layers, c.Dim, c.HiddenDim));
        AddPerLayer(dict, c, "feed_forward.w3.weight", reader.Take(c.Layers, c.HiddenDim, c.Dim));
        dict["norm.weight"] = reader.Take(c.Dim);
        reader.Skip((long)c.MaxSeqLen * c.HeadDim); // freq_cis_real and freq_cis_imag, [seq_len, head_size/2] each
        if (!c.SharedClassifier)
        {
            dict["output.weight"] = reader.Take(c.VocabSize, c.Dim);
        }

        return dict;
    }

    private static void AddPerLayer(Dictionary<string, Tensor> dict, LlamaConfig c, string name, Tensor stacked)
    {
        for (var i = 0; i < c.Layers; i++)
        {
            dict[$"layers.{i}.{name}"] = stacked[i];
        }
    }

    private ref struct FloatReader(ReadOnlySpan<float> floats)
    {
        private ReadOnlySpan<float> rest = floats;

        public Tensor Take(params long[] shape)
        {
            var count = (int)shape.Aggregate(1L, (a, b) => a * b);
            var result = tensor(rest[..count].ToArray(), shape);
            rest = rest[count..];
            return result;
        }

        public void Skip(long count) => rest = rest[(int)count..];
    }
}
