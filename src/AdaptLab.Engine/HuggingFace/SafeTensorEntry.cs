namespace AdaptLab.Engine.HuggingFace;

/// <summary>One tensor in a .safetensors header: element type, shape and byte range within the data section.</summary>
internal sealed record SafeTensorEntry(string Name, string DType, long[] Shape, long Begin, long End)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    public string ShapeText => $"[{string.Join(", ", Shape)}]";
}
