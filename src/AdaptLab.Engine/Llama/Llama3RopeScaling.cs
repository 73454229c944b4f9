using static TorchSharp.torch;

namespace AdaptLab.Engine.Llama;

/// <summary>
/// Llama 3.1's rotary frequency scaling: wavelengths longer than <see cref="OriginalMaxPositions"/> /
/// <see cref="LowFreqFactor"/> are stretched by <see cref="Factor"/>, those shorter than
/// <see cref="OriginalMaxPositions"/> / <see cref="HighFreqFactor"/> are kept, and the band between is
/// interpolated, so a model trained on short contexts reads positions far beyond them.
/// </summary>
public sealed record Llama3RopeScaling(double Factor, double LowFreqFactor, double HighFreqFactor, int OriginalMaxPositions)
{
    public void Validate()
    {
        if (!(Factor > 0 && LowFreqFactor > 0 && HighFreqFactor > LowFreqFactor && OriginalMaxPositions > 0))
        {
            throw new FormatException(
                $"Invalid llama3 rope scaling ({this}): factor, low_freq_factor and original_max_position_embeddings must be positive and high_freq_factor above low_freq_factor.");
        }
    }

    /// <summary>Scaled copies of the inverse frequencies (float64, one per rotated pair).</summary>
    internal Tensor Apply(Tensor inverseFrequencies)
    {
        var wavelengths = 2 * Math.PI / inverseFrequencies;
        var longest = OriginalMaxPositions / LowFreqFactor;
        var shortest = OriginalMaxPositions / HighFreqFactor;
        var smooth = ((OriginalMaxPositions / wavelengths) - LowFreqFactor) / (HighFreqFactor - LowFreqFactor);
        var interpolated = (((1 - smooth) / Factor) + smooth) * inverseFrequencies;
        var scaled = where(wavelengths > longest, inverseFrequencies / Factor, inverseFrequencies);
        return where((wavelengths >= shortest) & (wavelengths <= longest), interpolated, scaled);
    }
}
