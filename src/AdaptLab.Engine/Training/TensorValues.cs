using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Training;

/// <summary>A tensor's values in a training checkpoint: their count, then each in float32 (bf16 reads back exactly).</summary>
internal static class TensorValues
{
    public static void Write(BinaryWriter writer, Tensor tensor)
    {
        // The scope holds the chain's temporaries: one nothing refers to may be finalized while libtorch reads it.
        using var scope = NewDisposeScope();
        var values = tensor.detach().contiguous().to(ScalarType.Float32);
        writer.Write(values.numel());
        writer.Write(MemoryMarshal.AsBytes(values.data<float>().ToArray().AsSpan()));
    }

    /// <summary>A new tensor of <paramref name="like"/>'s shape, type and device, outside any dispose scope.</summary>
    /// <exception cref="ArgumentException">The file holds another number of values (named by <paramref name="what"/>).</exception>
    /// <exception cref="EndOfStreamException">The file ends before the values do.</exception>
    public static Tensor Read(BinaryReader reader, Tensor like, string what)
    {
        var count = reader.ReadInt64();
        if (count != like.numel())
        {
            throw new ArgumentException($"{what} has {count} values in the checkpoint, {like.numel()} in this run");
        }

        var values = new float[count];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan())); // EndOfStreamException when cut short
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return zeros_like(like).copy_(tensor(values, like.shape)).DetachFromDisposeScope();
    }
}
