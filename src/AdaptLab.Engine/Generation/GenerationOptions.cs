using System.Text.Json;

namespace AdaptLab.Engine.Generation;

/// <summary>
/// How to pick tokens. Temperature 0 is greedy (argmax); otherwise logits are divided by the temperature,
/// cut to the <see cref="TopK"/> most likely and then to the smallest set reaching <see cref="TopP"/>
/// probability, and sampled with a generator seeded by <see cref="Seed"/> (random when null).
/// <see cref="MaxTokens"/> null runs until end of sequence or the context is full.
/// </summary>
public sealed record GenerationOptions
{
    public int? MaxTokens { get; init; }

    public float Temperature { get; init; } = 1.0f;

    public float? TopP { get; init; }

    public int? TopK { get; init; }

    public long? Seed { get; init; }

    /// <summary>Generation ends when the decoded text contains one; the text returned stops before it.</summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];

    /// <summary>
    /// When set, each step may only take tokens that keep the text a prefix of a JSON document valid against
    /// this schema (the subset AdaptLab.Engine.Constrained supports), and the document is closed in time to
    /// fit <see cref="MaxTokens"/>: the completion always parses and validates. It ends with the value.
    /// </summary>
    public JsonElement? JsonSchema { get; init; }

    public void Validate()
    {
        if (MaxTokens < 0)
        {
            throw new ArgumentException($"MaxTokens must be at least 0, not {MaxTokens}.");
        }

        if (!(Temperature >= 0) || float.IsInfinity(Temperature))
        {
            throw new ArgumentException($"Temperature must be a finite number at least 0, not {Temperature}.");
        }

        if (TopP is { } p && !(p > 0 && p <= 1))
        {
            throw new ArgumentException($"TopP must be in (0, 1], not {p}.");
        }

        if (TopK < 1)
        {
            throw new ArgumentException($"TopK must be at least 1, not {TopK}.");
        }

        if (StopSequences.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("Stop sequences must not be empty.");
        }
    }
}
