using System.Runtime.InteropServices;
using TorchSharp;

namespace AdaptLab.Engine;

/// <summary>Loads TorchSharp's native backend once, turning its misleading load failure into an actionable one.</summary>
internal static class TorchRuntime
{
    private static readonly Lazy<bool> Loaded = new(Load);

    public static void EnsureLoaded() => _ = Loaded.Value;

    private static bool Load()
    {
        // libgomp (bundled with libtorch) reads its settings from the C environment when libtorch loads; .NET's
        // own environment block is not that one. By default idle OpenMP threads spin for milliseconds, taking the
        // cores that the next operation needs on a small or shared machine: generation rates swung tenfold between
        // runs. Sleeping at once (OMP_WAIT_POLICY=PASSIVE) pays a wake-up for every parallel operation instead,
        // which cost a fifth of a 135M model's prefill. A short spin, about a tenth of a millisecond, keeps the
        // threads awake across one forward pass's back-to-back operations only. A user's own setting wins.
        if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is null &&
            Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is null)
        {
            _ = SetEnv("GOMP_SPINCOUNT", "30000", 0);
        }

        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            return true;
        }
        catch (Exception e) when (e is TypeInitializationException or NotSupportedException or DllNotFoundException)
        {
            // On libstdc++ older than GLIBCXX_3.4.32 (Debian 12) TorchSharp blames a missing libtorch package.
            throw new InvalidOperationException(
                "TorchSharp's native library libLibTorchSharp.so failed to load. On systems whose libstdc++ lacks " +
                "GLIBCXX_3.4.32 (e.g. Debian 12) the project that runs the engine must import " +
                "src/AdaptLab.Engine/build/AdaptLab.Engine.Native.targets, which patches the copy in its output. " +
                "TorchSharp said: " + e.GetBaseException().Message, e);
        }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv(string name, string value, int overwrite);
}
