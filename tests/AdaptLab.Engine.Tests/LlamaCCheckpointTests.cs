using AdaptLab.Engine.LlamaC;
using AdaptLab.Tests.Support;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Tests;

public sealed class LlamaCCheckpointTests : IDisposable
{
    // run.c's forward() in numpy, one position at a time with its own key/value cache.
    private const string LlamaCForward = """
        import json, sys
        import numpy as np
        req = json.load(sys.stdin)
        raw = open(req["path"], "rb").read()
        dim, hidden, layers, heads, kv_heads, vocab, seq_len = np.frombuffer(raw[:28], dtype="<i4")
        shared = vocab > 0; vocab = abs(vocab)
        w = np.frombuffer(raw[28:], dtype="<f4").astype(np.float64)
        hs = dim // heads; kv_dim = kv_heads * hs
        def take(*shape):
            global w
            n = int(np.prod(shape)); out = w[:n].reshape(shape); w = w[n:]; return out
        emb = take(vocab, dim); rms_att = take(layers, dim); wq = take(layers, dim, dim)
        wk = take(layers, kv_dim, dim); wv = take(layers, kv_dim, dim); wo = take(layers, dim, dim)
        rms_ffn = take(layers, dim); w1 = take(layers, hidden, dim); w2 = take(layers, dim, hidden)
        w3 = take(layers, hidden, dim); rms_final = take(dim); take(seq_len, hs)
        cls = emb if shared else take(vocab, dim)
        def rmsnorm(x, g): return g * x / np.sqrt(np.mean(x * x) + 1e-5)
        kc = np.zeros((layers, seq_len, kv_dim)); vc = np.zeros((layers, seq_len, kv_dim))
        out = []
        for pos, tok in enumerate(req["tokens"]):
            x = emb[tok].copy()
            for l in range(layers):
                xb = rmsnorm(x, rms_att[l])
                q = wq[l] @ xb; k = wk[l] @ xb; v = wv[l] @ xb
                for i in range(0, dim, 2):
                    f = 1.0 / 10000.0 ** ((i % hs) / hs); c, s = np.cos(pos * f), np.sin(pos * f)
                    for vec in ([q, k] if i < kv_dim else [q]):
                        a, b = vec[i], vec[i + 1]; vec[i], vec[i + 1] = a * c - b * s, a * s + b * c
                kc[l, pos] = k; vc[l, pos] = v
                att_out = np.zeros(dim)
                for h in range(heads):
                    kh = h // (heads // kv_heads)
                    qh = q[h * hs:(h + 1) * hs]
                    scores = kc[l, :pos + 1, kh * hs:(kh + 1) * hs] @ qh / np.sqrt(hs)
                    p = np.exp(scores - scores.max()); p /= p.sum()
                    att_out[h * hs:(h + 1) * hs] = p @ vc[l, :pos + 1, kh * hs:(kh + 1) * hs]
                x = x + wo[l] @ att_out
                xb = rmsnorm(x, rms_ffn[l])
                h1 = w1[l] @ xb
                x = x + w2[l] @ ((h1 / (1 + np.exp(-h1))) * (w3[l] @ xb))
            out.append((cls @ rmsnorm(x, rms_final)).tolist())
        print(json.dumps(out))
        """;

    private static readonly int[] Tokens = [1, 5, 9, 3, 30, 2, 7, 7, 12];
    private readonly string path = Path.GetTempFileName();

    public void Dispose() => File.Delete(path);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Random_checkpoint_logits_match_llama2c_forward_with_and_without_the_cache(bool sharedClassifier)
    {
        Stories260K.UseTestThreads();
        WriteRandomCheckpoint(path, dim: 16, hidden: 40, layers: 2, heads: 4, kvHeads: 2, vocab: 32, seqLen: 24, sharedClassifier);
        var reference = PythonReference.Run(LlamaCForward, new { path, tokens = Tokens })
            .EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        using var model = LlamaCCheckpoint.Load(path);
        using var noGrad = no_grad();
        using var tokens = tensor(Tokens.Select(t => (long)t).ToArray(), [1, Tokens.Length]);

        using var full = model.forward(tokens, null);
        AssertClose(reference, full[0]);

        // Cached: a 4-token prefill, then one token at a time.
        using var cache = model.NewCache([0]);
        using var prefill = model.forward(tokens.narrow(1, 0, 4), cache);
        AssertClose(reference[..4], prefill[0]);
        for (var pos = 4; pos < Tokens.Length; pos++)
        {
            using var step = model.NextTokenLogits(tokens.narrow(1, pos, 1), cache);
            AssertClose(reference[pos..(pos + 1)], step);
        }
    }

    [Fact]
    public void A_file_of_the_wrong_size_or_shape_is_a_format_error()
    {
        WriteRandomCheckpoint(path, dim: 16, hidden: 40, layers: 2, heads: 4, kvHeads: 2, vocab: 32, seqLen: 24, sharedClassifier: true);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);
        Assert.Contains("bytes", Assert.Throws<FormatException>(() => LlamaCCheckpoint.Load(path)).Message, StringComparison.Ordinal);

        WriteRandomCheckpoint(path, dim: 16, hidden: 40, layers: 2, heads: 4, kvHeads: 3, vocab: 32, seqLen: 24, sharedClassifier: true);
        Assert.Contains("n_kv_heads", Assert.Throws<FormatException>(() => LlamaCCheckpoint.Load(path)).Message, StringComparison.Ordinal);
    }

    private static void AssertClose(float[][] expected, Tensor actual)
    {
        var values = actual.data<float>().ToArray();
        var vocab = expected[0].Length;
        Assert.Equal(expected.Length * vocab, values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            Assert.True(Math.Abs(expected[i / vocab][i % vocab] - values[i]) < 1e-4, $"logit {i % vocab} at row {i / vocab}: {values[i]} vs {expected[i / vocab][i % vocab]}");
        }
    }

    private static void WriteRandomCheckpoint(string path, int dim, int hidden, int layers, int heads, int kvHeads, int vocab, int seqLen, bool sharedClassifier)
    {
        var random = new Random(1234);
        var kvDim = dim / heads * kvHeads;
        long floats = ((long)vocab * dim) + (layers * ((2L * dim) + (2L * dim * dim) + (2L * kvDim * dim) + (3L * hidden * dim)))
            + dim + ((long)seqLen * (dim / heads)) + (sharedClassifier ? 0 : (long)vocab * dim);
        using var writer = new BinaryWriter(File.Create(path));
        foreach (var value in new[] { dim, hidden, layers, heads, kvHeads, sharedClassifier ? vocab : -vocab, seqLen })
        {
            writer.Write(value);
        }

        for (long i = 0; i < floats; i++)
        {
            writer.Write((float)((random.NextDouble() * 2) - 1) * 0.5f);
        }
    }
}
