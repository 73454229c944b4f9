using System.Runtime.InteropServices;

namespace AdaptLab.Engine.Gguf;

/// <summary>Float32 rows as ggml stores them: F32 as is, F16 rounded to nearest even, Q8_0 in blocks of 32.</summary>
internal static class GgmlQuantization
{
    public const int Q8Block = 32;

    /// <summary>Whether rows of <paramref name="rowLength"/> values can be stored as <paramref name="type"/>.</summary>
    public static bool Fits(GgmlType type, long rowLength) => type != GgmlType.Q8_0 || rowLength % Q8Block == 0;

    public static byte[] Encode(ReadOnlySpan<float> values, GgmlType type) => type switch
    {
        GgmlType.F32 => MemoryMarshal.AsBytes(values).ToArray(),
        GgmlType.F16 => F16(values),
        GgmlType.Q8_0 => Q8Zero(values),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The float32 values stored bytes stand for: what llama.cpp computes with, for comparing against it.</summary>
    public static float[] Decode(ReadOnlySpan<byte> data, GgmlType type)
    {
        switch (type)
        {
            case GgmlType.F32:
                return MemoryMarshal.Cast<byte, float>(data).ToArray();
            case GgmlType.F16:
                return [.. MemoryMarshal.Cast<byte, Half>(data).ToArray().Select(h => (float)h)];
            case GgmlType.Q8_0:
                var blocks = data.Length / (2 + Q8Block);
                var values = new float[blocks * Q8Block];
                for (var b = 0; b < blocks; b++)
                {
                    var block = data.Slice(b * (2 + Q8Block), 2 + Q8Block);
                    var scale = (float)MemoryMarshal.Read<Half>(block);
                    for (var j = 0; j < Q8Block; j++)
                    {
                        values[(b * Q8Block) + j] = (sbyte)block[2 + j] * scale;
                    }
                }

                return values;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, null);
        }
    }

    private static byte[] F16(ReadOnlySpan<float> values)
    {
        var halves = new Half[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            halves[i] = (Half)values[i];
        }

        return MemoryMarshal.AsBytes(halves.AsSpan()).ToArray();
    }

    /// <summary>
    /// ggml's block_q8_0: per 32 values, the scale d = max|x| / 127 as float16, then round(x / d) as int8, rounding
    /// half away from zero (quantize_row_q8_0_ref).
    /// </summary>
    private static byte[] Q8Zero(ReadOnlySpan<float> values)
    {
        if (values.Length % Q8Block != 0)
        {
            throw new ArgumentException($"Q8_0 stores blocks of {Q8Block} values; {values.Length} is not a multiple", nameof(values));
        }

        var output = new byte[values.Length / Q8Block * (2 + Q8Block)];
        for (var b = 0; b < values.Length / Q8Block; b++)
        {
            var block = values.Slice(b * Q8Block, Q8Block);
            var max = 0f;
            foreach (var value in block)
            {
                max = Math.Max(max, Math.Abs(value));
            }

            var scale = max / 127f;
            var inverse = scale != 0 ? 1f / scale : 0f;
            var target = output.AsSpan(b * (2 + Q8Block), 2 + Q8Block);
            MemoryMarshal.Write(target, (Half)scale);
            for (var j = 0; j < Q8Block; j++)
            {
                target[2 + j] = (byte)(sbyte)MathF.Round(block[j] * inverse, MidpointRounding.AwayFromZero);
            }
        }

        return output;
    }
}
