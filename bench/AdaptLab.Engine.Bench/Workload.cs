namespace AdaptLab.Engine.Bench;

/// <summary>
/// What both sides run on one model, sent to each worker process as JSON: a prefill of <see cref="Prefill"/>
/// tokens, then greedy decoding of <see cref="DecodeSteps"/> steps after a <see cref="DecodePrompt"/>-token prompt
/// per row, at each batch size; <see cref="Runs"/> timed runs after warming up for <see cref="WarmupSeconds"/> (at
/// least one run), medians reported.
/// <see cref="Sgemm"/>, when set, also times a square fp32 matrix product of that size.
/// </summary>
internal sealed record Workload(
    string Model,
    int Threads,
    int Runs,
    int Prefill,
    int DecodePrompt,
    int DecodeSteps,
    int[] DecodeBatches,
    int? Sgemm)
{
    /// <summary>How long each measurement runs untimed first, on both sides (sent as warmup_seconds).</summary>
    public double WarmupSeconds { get; init; } = 1.5;

    /// <summary>The prompt both sides run: row r, position i holds (1 + 7i + 31r) mod vocab (as torch_llama.py).</summary>
    public static long[] PromptTokens(int vocab, int row, int length) =>
        [.. Enumerable.Range(0, length).Select(i => (long)((1 + (7 * i) + (31 * row)) % vocab))];
}
