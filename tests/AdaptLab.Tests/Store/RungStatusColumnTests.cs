using AdaptLab.Core.Store;

namespace AdaptLab.Tests.Store;

/// <summary>study_rungs.status keeps the text it held before the enum, and text it does not know is refused.</summary>
public class RungStatusColumnTests
{
    [Theory]
    [InlineData(nameof(RungStatus.Planned), "planned")]
    [InlineData(nameof(RungStatus.Measured), "measured")]
    [InlineData(nameof(RungStatus.Skipped), "skipped")]
    public void Status_survives_the_column(string statusName, string stored)
    {
        var status = Enum.Parse<RungStatus>(statusName);
        Assert.Equal(stored, RungStatusColumn.Text(status));
        Assert.Equal(status, RungStatusColumn.Parse(stored));
    }

    [Fact]
    public void Every_status_round_trips() =>
        Assert.All(Enum.GetValues<RungStatus>(), status => Assert.Equal(status, RungStatusColumn.Parse(RungStatusColumn.Text(status))));

    [Theory]
    [InlineData("Measured")]
    [InlineData("running")]
    [InlineData("")]
    public void Unknown_text_is_rejected_not_guessed(string stored)
    {
        var error = Assert.Throws<FormatException>(() => RungStatusColumn.Parse(stored));
        Assert.Contains($"'{stored}' is no rung status", error.Message, StringComparison.Ordinal);
    }
}
