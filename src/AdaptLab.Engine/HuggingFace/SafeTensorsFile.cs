using System.Buffers.Binary;
using System.Text.Json;
using AdaptLab.Engine.Native;
using Microsoft.Win32.SafeHandles;
using static TorchSharp.torch;

namespace AdaptLab.Engine.HuggingFace;

/// <summary>
/// A .safetensors file: an 8-byte little-endian header length, a JSON header mapping each tensor name to its
/// dtype, shape and data_offsets, then the little-endian tensor bytes. Tensors are read one at a time,
/// straight from the file into libtorch memory, so loading never holds a second copy of the file.
/// </summary>
internal sealed class SafeTensorsFile : IDisposable
{
    // A header is JSON text about the tensors; anything this large is a corrupt length, not a header.
    private const long MaxHeaderBytes = 100_000_000;

    private static readonly Dictionary<string, (ScalarType Type, int Bytes)> DTypes = new()
    {
        ["F32"] = (ScalarType.Float32, 4),
        ["F16"] = (ScalarType.Float16, 2),
        ["BF16"] = (ScalarType.BFloat16, 2),
    };

    private readonly SafeFileHandle handle;
    private readonly long dataStart;

    private SafeTensorsFile(string path, SafeFileHandle handle, long dataStart, Dictionary<string, SafeTensorEntry> entries)
    {
        Path = path;
        this.handle = handle;
        this.dataStart = dataStart;
        Entries = entries;
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, SafeTensorEntry> Entries { get; }

    public static SafeTensorsFile Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Missing safetensors file {path}.", path);
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("safetensors data is little-endian; this machine is not.");
        }

        var handle = File.OpenHandle(path);
        try
        {
            var fileLength = RandomAccess.GetLength(handle);
            Span<byte> lengthBytes = stackalloc byte[8];
            if (fileLength < 8 || RandomAccess.Read(handle, lengthBytes, 0) != 8)
            {
                throw new FormatException($"{path}: {fileLength} bytes is too short for a safetensors header.");
            }

            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
            if (headerLength > (ulong)Math.Min(fileLength - 8, MaxHeaderBytes))
            {
                throw new FormatException($"{path}: header length {headerLength} does not fit a file of {fileLength} bytes; not a safetensors file?");
            }

            var header = new byte[headerLength];
            RandomAccess.Read(handle, header, 8);
            var dataStart = 8 + (long)headerLength;
            var entries = ParseHeader(header, path, fileLength - dataStart);
            return new SafeTensorsFile(path, handle, dataStart, entries);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Copies tensor <paramref name="name"/> into <paramref name="destination"/>, a float32 tensor (or view) of as many
    /// elements, filled in the tensor's row-major order. F32 data is read straight into a contiguous destination's
    /// memory; anything else (F16 and BF16, which widen exactly, or a strided view that reorders) goes through one
    /// buffer of the stored size, so loading a model never holds a float32 copy of a tensor beside its parameter.
    /// </summary>
    public void ReadInto(string name, Tensor destination)
    {
        if (!Entries.TryGetValue(name, out var entry))
        {
            throw new FormatException($"{Path} has no tensor {name}.");
        }

        if (!DTypes.TryGetValue(entry.DType, out var dtype))
        {
            throw new FormatException(
                $"{Path}: tensor {name} has dtype {entry.DType}; only {string.Join(", ", DTypes.Keys)} are supported.");
        }

        if (entry.End - entry.Begin != entry.ElementCount * dtype.Bytes)
        {
            throw new FormatException(
                $"{Path}: tensor {name} ({entry.DType} {entry.ShapeText}) needs {entry.ElementCount * dtype.Bytes} bytes but its data_offsets span {entry.End - entry.Begin}.");
        }

        if (destination.dtype != ScalarType.Float32 || destination.numel() != entry.ElementCount)
        {
            throw new ArgumentException(
                $"{Path}: tensor {name} ({entry.ShapeText}) cannot fill a {destination.dtype} tensor of {destination.numel()} elements.", nameof(destination));
        }

        if (dtype.Type == ScalarType.Float32 && destination.is_contiguous())
        {
            ReadBytes(destination, entry);
            return;
        }

        using var stored = empty(entry.Shape, dtype.Type);
        ReadBytes(stored, entry);
        // The view holds the buffer's storage too: both are disposed here, not left for the finalizer.
        using var arranged = stored.view(destination.shape);
        destination.copy_(arranged);
    }

    public void Dispose() => handle.Dispose();

    private unsafe void ReadBytes(Tensor destination, SafeTensorEntry entry)
    {
        var target = (byte*)TensorMemory.Address(destination);
        var total = entry.End - entry.Begin;
        for (long done = 0; done < total;)
        {
            var chunk = (int)Math.Min(total - done, 1 << 30);
            var read = RandomAccess.Read(handle, new Span<byte>(target + done, chunk), dataStart + entry.Begin + done);
            if (read == 0)
            {
                throw new FormatException($"{Path}: tensor {entry.Name} is cut off by the end of the file.");
            }

            done += read;
        }
    }

    private static Dictionary<string, SafeTensorEntry> ParseHeader(byte[] header, string path, long dataLength)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: the safetensors header is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{path}: the safetensors header is not a JSON object.");
            }

            var entries = new Dictionary<string, SafeTensorEntry>();
            foreach (var property in document.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__"))
            {
                entries[property.Name] = ParseEntry(property, path, dataLength);
            }

            return entries;
        }
    }

    private static SafeTensorEntry ParseEntry(JsonProperty property, string path, long dataLength)
    {
        try
        {
            var value = property.Value;
            var dtype = value.GetProperty("dtype").GetString()!;
            long[] shape = [.. value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())];
            long[] offsets = [.. value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64())];
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength || shape.Any(d => d < 0))
            {
                throw new FormatException($"data_offsets [{string.Join(", ", offsets)}] or shape is out of range for {dataLength} data bytes");
            }

            return new SafeTensorEntry(property.Name, dtype, shape, offsets[0], offsets[1]);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"{path}: bad header entry for tensor {property.Name}: {e.Message}", e);
        }
    }
}
