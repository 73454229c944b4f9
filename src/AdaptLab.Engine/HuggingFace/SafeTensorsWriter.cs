using System.Runtime.InteropServices;
using System.Text.Json;
using static TorchSharp.torch;

namespace AdaptLab.Engine.HuggingFace;

/// <summary>
/// Writes float32 or bfloat16 tensors as a .safetensors file (the layout <see cref="SafeTensorsFile"/> reads), in the
/// order given, to a temporary file renamed into place so a crash never leaves half a file.
/// </summary>
internal static class SafeTensorsWriter
{
    public static void Write(string path, IReadOnlyList<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new Dictionary<string, object>();
        if (metadata is not null)
        {
            header["__metadata__"] = metadata;
        }

        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            var (dtype, bytes) = tensor.dtype switch
            {
                ScalarType.Float32 => ("F32", 4),
                ScalarType.BFloat16 => ("BF16", 2),
                _ => throw new ArgumentException($"{name}: safetensors export supports float32 and bfloat16, not {tensor.dtype}"),
            };
            var length = tensor.numel() * bytes;
            header[name] = new { dtype, shape = tensor.shape, data_offsets = new[] { offset, offset + length } };
            offset += length;
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(header);
        // The data starts 8-byte aligned, as the format recommends: pad the header with spaces.
        var padded = new byte[(json.Length + 7) / 8 * 8];
        Array.Fill(padded, (byte)' ');
        json.CopyTo(padded, 0);
        var temp = path + ".tmp-" + Environment.ProcessId;
        using (var file = new BinaryWriter(File.Create(temp)))
        {
            file.Write((ulong)padded.Length);
            file.Write(padded);
            foreach (var (_, tensor) in tensors)
            {
                using var contiguous = tensor.detach().contiguous();
                file.Write(contiguous.dtype == ScalarType.Float32
                    ? MemoryMarshal.AsBytes(contiguous.data<float>().ToArray().AsSpan())
                    : contiguous.bytes);
            }
        }

        File.Move(temp, path, overwrite: true);
    }
}
