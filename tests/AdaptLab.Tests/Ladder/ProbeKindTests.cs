using AdaptLab.Core.Ladder;

namespace AdaptLab.Tests.Ladder;

/// <summary>A probe's kind goes into its stored variant name and comes back out of it, nothing else is taken for one, and a kind another version ran is kept under its own word.</summary>
public class ProbeKindTests
{
    [Theory]
    [InlineData(nameof(ProbeKind.Oracle), null, "probe:oracle")]
    [InlineData(nameof(ProbeKind.Sample), 2, "probe:sample-2")]
    [InlineData(nameof(ProbeKind.Paraphrase), 1, "probe:paraphrase-1")]
    [InlineData(nameof(ProbeKind.Constrained), null, "probe:constrained")]
    public void Kind_survives_the_stored_name(string kindName, int? index, string stored)
    {
        var kind = Enum.Parse<ProbeKind>(kindName);
        Assert.Equal(stored, ProbeKinds.VariantName(kind, index));
        Assert.Equal(kind, ProbeKinds.Of(stored));
    }

    [Fact]
    public void Every_kind_round_trips() =>
        Assert.All(Enum.GetValues<ProbeKind>().Where(k => k is not ProbeKind.Other), kind => Assert.Equal(kind, ProbeKinds.Of(ProbeKinds.VariantName(kind, 1))));

    [Theory]
    [InlineData("prompt")]
    [InlineData("fine-tuned+rag")]
    [InlineData("oracle")]
    public void A_rung_is_no_probe(string variant) => Assert.Null(ProbeKinds.Of(variant));

    [Theory]
    [InlineData("probe:vote-3", "vote")]
    [InlineData("probe:Oracle", "Oracle")]
    [InlineData("probe:", "")]
    public void An_unknown_probe_kind_is_kept_as_stored_not_refused_or_guessed(string variant, string word)
    {
        Assert.Equal(ProbeKind.Other, ProbeKinds.Of(variant));
        Assert.Equal(word, ProbeKinds.StoredWord(variant));
    }

    [Fact]
    public void A_known_probes_stored_word_is_its_kinds_word() =>
        Assert.All(Enum.GetValues<ProbeKind>().Where(k => k is not ProbeKind.Other), kind => Assert.Equal(kind.Word(), ProbeKinds.StoredWord(ProbeKinds.VariantName(kind, 2))));
}
