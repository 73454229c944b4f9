namespace AdaptLab.Engine.Bench;

/// <summary>
/// One side's measurements on a <see cref="Workload"/>: median tokens/s of prefill and of decoding per batch size,
/// row 0's greedy tokens at batch 1 (to check both sides computed the same thing), and the process's peak RSS.
/// Only the engine fills <see cref="Generator"/> (its product path, TextGenerator, at batch 1) and the cost fields.
/// </summary>
internal sealed partial record SideResult(
    int Threads,
    string Blas,
    double Prefill,
    Dictionary<int, double> Decode,
    long[] Greedy,
    double PeakRssMib,
    double? SgemmGflops,
    double? Generator = null,
    ModelCost? Cost = null);

internal sealed partial record SideResult
{
    /// <summary>Each measurement's median over the rounds (the largest peak RSS); the first round's greedy tokens.</summary>
    public static SideResult Combine(IReadOnlyList<SideResult> rounds)
    {
        static double Median(IEnumerable<double> values)
        {
            var ordered = values.Order().ToList();
            return ordered[ordered.Count / 2];
        }

        var first = rounds[0];
        return first with
        {
            Prefill = Median(rounds.Select(r => r.Prefill)),
            Decode = first.Decode.Keys.ToDictionary(batch => batch, batch => Median(rounds.Select(r => r.Decode[batch]))),
            PeakRssMib = rounds.Max(r => r.PeakRssMib),
            SgemmGflops = first.SgemmGflops is null ? null : Median(rounds.Select(r => r.SgemmGflops ?? 0)),
            Generator = first.Generator is null ? null : Median(rounds.Select(r => r.Generator ?? 0)),
        };
    }
}

/// <summary>Floating-point work and weight bytes per token, for relating tokens/s to the machine's peaks.</summary>
internal sealed partial record ModelCost(double PrefillFlopsPerToken, double DecodeFlopsPerToken, double WeightBytes);
