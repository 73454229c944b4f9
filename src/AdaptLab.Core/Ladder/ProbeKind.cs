namespace AdaptLab.Core.Ladder;

/// <summary>The experiments a study runs on the prompt rung to tell why its items fail.</summary>
internal enum ProbeKind
{
    /// <summary>The gold context in the prompt (ladder.oracle).</summary>
    Oracle,

    /// <summary>The prompt rung sampled at temperature.</summary>
    Sample,

    /// <summary>A reworded prompt.</summary>
    Paraphrase,

    /// <summary>The task's json_schema enforced while decoding.</summary>
    Constrained,

    /// <summary>
    /// A probe of a kind this version does not run (a study stored by another version): read back, never planned. Its results
    /// are shown under the kind word its name holds (<see cref="ProbeKinds.StoredWord"/>); the diagnosis reads no signal from it.
    /// </summary>
    Other,
}

/// <summary>
/// A probe's variant name in the study's run (<c>probe:oracle</c>, <c>probe:sample-2</c>): the name is stored and printed,
/// so it is built and read back here only, and code asks the kind instead.
/// </summary>
internal static class ProbeKinds
{
    private const string Prefix = "probe:";

    /// <summary>The kind's word, as a probe's name and the reports spell it.</summary>
    public static string Word(this ProbeKind kind) => kind switch
    {
        ProbeKind.Oracle => "oracle",
        ProbeKind.Sample => "sample",
        ProbeKind.Paraphrase => "paraphrase",
        ProbeKind.Constrained => "constrained",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <param name="index">The sample's seed or the paraphrase's number; null for the kinds the run has one of.</param>
    public static string VariantName(ProbeKind kind, int? index = null) =>
        index is { } i ? $"{Prefix}{kind.Word()}-{i}" : Prefix + kind.Word();

    /// <summary>
    /// The kind of a stored variant's name; null for a variant that is no probe (a rung), <see cref="ProbeKind.Other"/> for a
    /// probe whose kind this version does not know (never refused: a study stored by another version still reads).
    /// </summary>
    public static ProbeKind? Of(string variantName)
    {
        if (StoredWordOrNull(variantName) is not { } word)
        {
            return null;
        }

        foreach (var kind in Known)
        {
            if (kind.Word() == word)
            {
                return kind;
            }
        }

        return ProbeKind.Other;
    }

    /// <summary>The kind word a probe's stored name holds, as stored (<c>sample</c> in <c>probe:sample-2</c>), whether or not this version knows it.</summary>
    /// <exception cref="ArgumentException">The name is no probe's.</exception>
    public static string StoredWord(string variantName) =>
        StoredWordOrNull(variantName) ?? throw new ArgumentException($"variant '{variantName}' is no probe", nameof(variantName));

    private static string? StoredWordOrNull(string variantName) =>
        variantName.StartsWith(Prefix, StringComparison.Ordinal) ? variantName[Prefix.Length..].Split('-')[0] : null;

    /// <summary>The kinds this version plans and names.</summary>
    private static readonly ProbeKind[] Known = [.. Enum.GetValues<ProbeKind>().Where(k => k is not ProbeKind.Other)];
}
