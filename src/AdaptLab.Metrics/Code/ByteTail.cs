using System.Text;

namespace AdaptLab.Metrics.Code;

/// <summary>Keeps the last <c>capacity</c> bytes written to it.</summary>
internal sealed class ByteTail(int capacity)
{
    private readonly byte[] buffer = new byte[capacity];
    private int length;

    public void Append(ReadOnlySpan<byte> chunk)
    {
        if (chunk.Length >= capacity)
        {
            chunk[^capacity..].CopyTo(buffer);
            length = capacity;
            return;
        }

        var keep = Math.Min(length, capacity - chunk.Length);
        buffer.AsSpan(length - keep, keep).CopyTo(buffer);
        chunk.CopyTo(buffer.AsSpan(keep));
        length = keep + chunk.Length;
    }

    /// <summary>The kept bytes as UTF-8; a character cut at the start becomes U+FFFD.</summary>
    public override string ToString() => Encoding.UTF8.GetString(buffer, 0, length);
}
