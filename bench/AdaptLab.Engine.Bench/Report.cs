using System.Globalization;

namespace AdaptLab.Engine.Bench;

/// <summary>Prints one model's comparison: tokens/s side by side with the AdaptLab/PyTorch ratio, memory, and how close to the matmul peak.</summary>
internal static class Report
{
    /// <summary><paramref name="peers"/>: the peer's results per OpenMP wait setting; ratios are against the best of them.</summary>
    public static void Print(string model, Workload work, int rounds, SideResult ours, IReadOnlyDictionary<string, SideResult> peers)
    {
        var peer = peers.Values.First();
        var waits = peers.Keys.ToList();
        Console.WriteLine();
        Console.WriteLine($"{model}: threads engine {ours.Threads}, PyTorch {peer.Threads}; median over {rounds} rounds of medians of {work.Runs} runs; PyTorch BLAS: {peer.Blas}");
        Console.WriteLine($"  {"",-36} {"AdaptLab",12}{string.Concat(waits.Select(w => $" {"PyTorch " + w,15}"))} {"ratio to best",14}");
        Row($"prefill {work.Prefill} tokens (tokens/s)", ours.Prefill, [.. peers.Values.Select(p => p.Prefill)], higherIsBetter: true);
        foreach (var batch in work.DecodeBatches)
        {
            Row($"decode batch {batch}, {work.DecodeSteps} steps (tokens/s)", ours.Decode[batch], [.. peers.Values.Select(p => p.Decode[batch])], higherIsBetter: true);
        }

        Row("peak RSS (MiB)", ours.PeakRssMib, [.. peers.Values.Select(p => p.PeakRssMib)], higherIsBetter: false);
        Console.WriteLine(Invariant($"  product path, TextGenerator greedy batch 1 (prompt included): {ours.Generator:F1} tokens/s"));
        var agree = ours.Greedy.Zip(peer.Greedy).TakeWhile(p => p.First == p.Second).Count();
        Console.WriteLine($"  greedy tokens at batch 1 agree for the first {agree} of {work.DecodeSteps} steps");
        if (ours.SgemmGflops is { } peak && ours.Cost is { } cost)
        {
            Console.WriteLine(Invariant($"  fp32 sgemm {work.Sgemm}x{work.Sgemm}: TorchSharp {peak:F1} GFLOP/s, PyTorch {peer.SgemmGflops:F1} GFLOP/s"));
            Console.WriteLine(Invariant($"  engine prefill: {ours.Prefill * cost.PrefillFlopsPerToken / 1e9:F1} GFLOP/s = {100 * ours.Prefill * cost.PrefillFlopsPerToken / 1e9 / peak:F0}% of that peak"));
            foreach (var batch in work.DecodeBatches)
            {
                var gflops = ours.Decode[batch] * cost.DecodeFlopsPerToken / 1e9;
                var weightRate = ours.Decode[batch] / batch * cost.WeightBytes / 1e9;
                Console.WriteLine(Invariant($"  engine decode batch {batch}: {gflops:F1} GFLOP/s = {100 * gflops / peak:F0}% of peak; weights streamed at {weightRate:F1} GB/s"));
            }
        }
    }

    private static void Row(string name, double ours, double[] peers, bool higherIsBetter)
    {
        var best = higherIsBetter ? peers.Max() : peers.Min();
        Console.WriteLine(Invariant($"  {name,-36} {ours,12:F1}{string.Concat(peers.Select(p => Invariant($" {p,15:F1}")))} {ours / best,13:F2}x"));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
