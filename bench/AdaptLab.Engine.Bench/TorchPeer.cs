using System.Diagnostics;

namespace AdaptLab.Engine.Bench;

/// <summary>
/// Debian's PyTorch 1.13 (/usr/bin/python3) running torch_llama.py. Its best fp32 setting here (shared/PEERS.md):
/// OpenBLAS's pthread build, with OPENBLAS_CORETYPE=Cooperlake on CPUs with AVX512-BF16 (0.3.21 does not recognise them
/// and otherwise falls back to a generic kernel; elsewhere it picks its kernel itself). How its OpenMP threads wait has no single best: sleeping at once
/// (OMP_WAIT_POLICY=PASSIVE; spinning threads otherwise fight OpenBLAS's) is 1.5x faster on the 135M model's prefill,
/// a short spin (GOMP_SPINCOUNT=30000, as the engine uses) nearly 2x faster on stories260K's decoding. The bench runs
/// the peer both ways (<see cref="WaitSettings"/>) and compares each measure with the better of the two.
/// OpenBLAS runs its own thread pool, which torch.set_num_threads does not size: OPENBLAS_NUM_THREADS gives it the
/// bench's thread count, or "1 thread" PyTorch would multiply matrices on every core.
/// </summary>
internal static class TorchPeer
{
    public const string Python = "/usr/bin/python3";
    private const string OpenBlasPthread = "/usr/lib/x86_64-linux-gnu/openblas-pthread";

    public static string Script => Path.Combine(AppContext.BaseDirectory, "torch_llama.py");

    /// <summary>The LoRA training step (torch_lora.py, beside torch_llama.py whose loader it uses).</summary>
    public static string LoraScript => Path.Combine(AppContext.BaseDirectory, "torch_lora.py");

    /// <summary>The ways the peer's OpenMP threads wait, each run as a peer of its own; an empty value unsets.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> WaitSettings =
        new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["passive"] = new Dictionary<string, string> { ["OMP_WAIT_POLICY"] = "PASSIVE" },
            ["spin"] = new Dictionary<string, string> { ["OMP_WAIT_POLICY"] = "", ["GOMP_SPINCOUNT"] = "30000" },
        };

    public static void RequireInstalled(bool tuned)
    {
        if (!File.Exists("/usr/lib/python3/dist-packages/torch/__init__.py"))
        {
            throw new InvalidOperationException("The PyTorch peer needs Debian's PyTorch: apt-get install -y python3-torch.");
        }

        if (tuned && !Directory.Exists(OpenBlasPthread))
        {
            throw new InvalidOperationException(
                $"PyTorch's tuned setting needs OpenBLAS's pthread build in {OpenBlasPthread}: apt-get install -y libopenblas0-pthread (or pass --torch-env default).");
        }
    }

    /// <summary>The environment settings applied, for the report.</summary>
    public static string Describe(bool tuned, IReadOnlyDictionary<string, string> settings) =>
        string.Join(' ', Settings(tuned, 0, settings).Select(s => $"{s.Key}={(s.Key == "OPENBLAS_NUM_THREADS" ? "threads" : s.Value)}"));

    /// <summary>The peer's process; <paramref name="settings"/> (a wait setting, then --torch-set's) override the tuned ones.</summary>
    public static ProcessStartInfo Start(bool tuned, IReadOnlyDictionary<string, string> settings, int threads, params string[] arguments) =>
        StartScript(Script, tuned, settings, threads, arguments);

    public static ProcessStartInfo StartScript(string script, bool tuned, IReadOnlyDictionary<string, string> settings, int threads, params string[] arguments)
    {
        var start = new ProcessStartInfo(Python);
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in Settings(tuned, threads, settings))
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private static Dictionary<string, string> Settings(bool tuned, int threads, IReadOnlyDictionary<string, string> overrides)
    {
        var settings = new Dictionary<string, string> { ["OPENBLAS_NUM_THREADS"] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (tuned)
        {
            settings["LD_LIBRARY_PATH"] = OpenBlasPthread;
            if (CpuHasAvx512Bf16())
            {
                settings["OPENBLAS_CORETYPE"] = "Cooperlake";
            }
        }

        foreach (var (name, value) in overrides)
        {
            if (value.Length == 0)
            {
                settings.Remove(name);
            }
            else
            {
                settings[name] = value;
            }
        }

        return settings;
    }

    /// <summary>
    /// OpenBLAS 0.3.21 does not recognise Intel's AVX512-BF16 parts and falls back to a generic kernel; it picks the right
    /// one by itself elsewhere (on AMD Zen, for one), where forcing Cooperlake would stop the peer on an illegal instruction.
    /// </summary>
    private static bool CpuHasAvx512Bf16() =>
        File.Exists("/proc/cpuinfo") && File.ReadLines("/proc/cpuinfo").Any(line => line.StartsWith("flags", StringComparison.Ordinal) && line.Contains(" avx512_bf16", StringComparison.Ordinal));
}
