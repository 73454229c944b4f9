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
        // OpenMP reads its settings from the C environment when libtorch loads; .NET's own environment
        // block is not that one. Spinning idle threads (the default) fight each other on small machines:
        // generation rates swung tenfold between runs without this. A user's own setting wins.
        if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is null)
        {
            _ = SetEnv("OMP_WAIT_POLICY", "PASSIVE", 0);
        }

        // glibc raises its mmap threshold each time a large block is freed (up to 32 MiB), after which tensors of
        // a megabyte or more come from the heap and their freed space stays resident: loading a 135M model left
        // 260 MB that way. A fixed threshold hands every large tensor's pages back to the system when it is freed.
        if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is null)
        {
            _ = MAllocOpt(MmapThreshold, 128 * 1024);
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

    private const int MmapThreshold = -3; // M_MMAP_THRESHOLD in malloc.h

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MAllocOpt(int parameter, int value);

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv(string name, string value, int overwrite);
}
