using System.Globalization;

namespace AdaptLab.Engine.Bench;

internal static class ProcessMemory
{
    /// <summary>The kernel's high-water mark of this process's resident memory (VmHWM), in MiB.</summary>
    public static double PeakRssMib()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kib = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return kib / 1024.0;
    }
}
