namespace AdaptLab.Engine.Bench;

/// <summary>
/// One side's measurements on a <see cref="Workload"/>: median tokens/s of prefill and of decoding per batch size,
/// row 0's greedy tokens at batch 1 (to check both sides computed the same thing), and the process's peak RSS.
/// Only the engine fills <see cref="Generator"/> (its product path, TextGenerator, at batch 1) and the cost fields.
/// </summary>
internal sealed record SideResult(
    int Threads,
    string Blas,
    double Prefill,
    Dictionary<int, double> Decode,
    long[] Greedy,
    double PeakRssMib,
    double? SgemmGflops,
    double? Generator = null,
    ModelCost? Cost = null);

/// <summary>Floating-point work and weight bytes per token, for relating tokens/s to the machine's peaks.</summary>
internal sealed partial record ModelCost(double PrefillFlopsPerToken, double DecodeFlopsPerToken, double WeightBytes);
