using System.Diagnostics;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Bench;

/// <summary>The machine's fp32 matrix-product rate through TorchSharp (libtorch's sgemm) at the current thread count.</summary>
internal static class MatmulPeak
{
    public static double Gflops(int size, int runs)
    {
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        var a = randn(size, size);
        var b = randn(size, size);
        a.mm(b).Dispose(); // warm-up: threads and packing buffers
        var rates = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            a.mm(b).Dispose();
            rates.Add(2.0 * size * size * size / watch.Elapsed.TotalSeconds / 1e9);
        }

        return rates.Order().ElementAt(rates.Count / 2);
    }
}
