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

    /// <summary>The kind of a stored variant's name; null for a variant that is no probe (a rung).</summary>
    /// <exception cref="FormatException">The name is a probe's whose kind this version does not know.</exception>
    public static ProbeKind? Of(string variantName)
    {
        if (!variantName.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var word = variantName[Prefix.Length..].Split('-')[0];
        return Enum.GetValues<ProbeKind>().Cast<ProbeKind?>().FirstOrDefault(k => k!.Value.Word() == word)
            ?? throw new FormatException($"variant '{variantName}' is named as a probe, but '{word}' is no probe kind ({string.Join(", ", Enum.GetValues<ProbeKind>().Select(k => k.Word()))})");
    }
}
