using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Native;

/// <summary>The address of a tensor's first element, for native code that reads or writes it in place.</summary>
internal static partial class TensorMemory
{
    /// <summary>
    /// Where <paramref name="tensor"/>'s elements start. The tensor must stay referenced (GC.KeepAlive) until the
    /// native code is done with them: a finalized wrapper can free storage that nothing else holds.
    /// </summary>
    public static IntPtr Address(Tensor tensor) => TensorData(tensor.Handle);

    // TorchSharp 0.107 exposes a tensor's memory only through managed copies (Tensor.bytes, limited to 2 GiB
    // spans); this is the native accessor those use.
    [LibraryImport("LibTorchSharp", EntryPoint = "THSTensor_data")]
    private static partial IntPtr TensorData(IntPtr tensor);
}
