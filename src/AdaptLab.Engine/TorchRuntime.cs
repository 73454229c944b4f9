using TorchSharp;

namespace AdaptLab.Engine;

/// <summary>Loads TorchSharp's native backend once, turning its misleading load failure into an actionable one.</summary>
internal static class TorchRuntime
{
    private static readonly Lazy<bool> Loaded = new(Load);

    public static void EnsureLoaded() => _ = Loaded.Value;

    private static bool Load()
    {
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
}
