using AdaptLab.Core.Ladder;

namespace AdaptLab.Tests.Ladder;

/// <summary>A probe's kind goes into its stored variant name and comes back out of it, and nothing else is taken for one.</summary>
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
        Assert.All(Enum.GetValues<ProbeKind>(), kind => Assert.Equal(kind, ProbeKinds.Of(ProbeKinds.VariantName(kind, 1))));

    [Theory]
    [InlineData("prompt")]
    [InlineData("fine-tuned+rag")]
    [InlineData("oracle")]
    public void A_rung_is_no_probe(string variant) => Assert.Null(ProbeKinds.Of(variant));

    [Fact]
    public void An_unknown_probe_kind_is_rejected_not_guessed()
    {
        var error = Assert.Throws<FormatException>(() => ProbeKinds.Of("probe:vote-3"));
        Assert.Contains("'vote' is no probe kind", error.Message, StringComparison.Ordinal);
    }
}
