using System.Text;

namespace AdaptLab.Engine.Gguf;

/// <summary>
/// A GGUF version 3 file as llama.cpp reads it: the magic, the version, the tensor and key-value counts, the metadata,
/// each tensor's name, dimensions (innermost first), type and offset, then the tensor data, every tensor aligned to
/// <see cref="Alignment"/> bytes. Little-endian throughout.
/// </summary>
internal sealed class GgufWriter
{
    public const int Alignment = 32;

    private readonly List<(string Key, Action<BinaryWriter> Write)> metadata = [];
    private readonly List<(string Name, long[] Dimensions, GgmlType Type, byte[] Data)> tensors = [];

    private enum ValueType : uint
    {
        UInt32 = 4,
        Int32 = 5,
        Float32 = 6,
        Bool = 7,
        String = 8,
        Array = 9,
    }

    public void Add(string key, uint value) => metadata.Add((key, w => { w.Write((uint)ValueType.UInt32); w.Write(value); }));

    public void Add(string key, float value) => metadata.Add((key, w => { w.Write((uint)ValueType.Float32); w.Write(value); }));

    public void Add(string key, bool value) => metadata.Add((key, w => { w.Write((uint)ValueType.Bool); w.Write(value); }));

    public void Add(string key, string value) => metadata.Add((key, w => { w.Write((uint)ValueType.String); WriteString(w, value); }));

    public void Add(string key, IReadOnlyList<string> values) => AddArray(key, ValueType.String, values, WriteString);

    public void Add(string key, IReadOnlyList<float> values) => AddArray(key, ValueType.Float32, values, (w, v) => w.Write(v));

    public void Add(string key, IReadOnlyList<int> values) => AddArray(key, ValueType.Int32, values, (w, v) => w.Write(v));

    /// <param name="shape">The tensor's shape in PyTorch's order (outermost first); GGUF lists it innermost first.</param>
    /// <param name="data">The tensor's bytes in <paramref name="type"/>'s layout.</param>
    public void AddTensor(string name, long[] shape, GgmlType type, byte[] data) => tensors.Add((name, [.. shape.Reverse()], type, data));

    /// <summary>Writes the file to a temporary name renamed into place, so a crash never leaves half a model.</summary>
    public void Write(string path)
    {
        var temp = path + ".tmp-" + Environment.ProcessId;
        using (var writer = new BinaryWriter(File.Create(temp), Encoding.UTF8))
        {
            writer.Write("GGUF"u8);
            writer.Write(3u);
            writer.Write((ulong)tensors.Count);
            writer.Write((ulong)metadata.Count);
            foreach (var (key, write) in metadata)
            {
                WriteString(writer, key);
                write(writer);
            }

            ulong offset = 0;
            foreach (var (name, dimensions, type, data) in tensors)
            {
                WriteString(writer, name);
                writer.Write((uint)dimensions.Length);
                foreach (var dimension in dimensions)
                {
                    writer.Write((ulong)dimension);
                }

                writer.Write((uint)type);
                writer.Write(offset);
                offset += Padded((ulong)data.Length);
            }

            Pad(writer);
            foreach (var (_, _, _, data) in tensors)
            {
                writer.Write(data);
                Pad(writer);
            }
        }

        File.Move(temp, path, overwrite: true);
    }

    private static ulong Padded(ulong length) => (length + Alignment - 1) / Alignment * Alignment;

    private static void Pad(BinaryWriter writer)
    {
        var position = (ulong)writer.BaseStream.Position;
        writer.Write(new byte[Padded(position) - position]);
    }

    private static void WriteString(BinaryWriter writer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }

    private void AddArray<T>(string key, ValueType type, IReadOnlyList<T> values, Action<BinaryWriter, T> write) =>
        metadata.Add((key, writer => WriteArray(writer, type, values, write)));

    private static void WriteArray<T>(BinaryWriter writer, ValueType type, IReadOnlyList<T> values, Action<BinaryWriter, T> write)
    {
        writer.Write((uint)ValueType.Array);
        writer.Write((uint)type);
        writer.Write((ulong)values.Count);
        foreach (var value in values)
        {
            write(writer, value);
        }
    }
}

/// <summary>ggml's tensor types (ggml.h) that the export writes.</summary>
internal enum GgmlType : uint
{
    F32 = 0,
    F16 = 1,
    Q8_0 = 8,
}
