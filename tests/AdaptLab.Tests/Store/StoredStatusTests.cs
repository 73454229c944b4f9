using System.Text.Json;
using AdaptLab.Core.Reports;
using AdaptLab.Core.Store;

namespace AdaptLab.Tests.Store;

/// <summary>
/// A status column keeps the text it held before the enum; text this version does not write (another version's) reads back
/// as unknown with its text kept, prints and writes back as stored, and is never refused or taken for a known status.
/// </summary>
public class StoredStatusTests
{
    [Theory]
    [InlineData(nameof(RungStatus.Planned), "planned")]
    [InlineData(nameof(RungStatus.Measured), "measured")]
    [InlineData(nameof(RungStatus.Skipped), "skipped")]
    public void Rung_status_survives_the_column(string statusName, string stored)
    {
        var status = Enum.Parse<RungStatus>(statusName);
        Assert.Equal(stored, StoredStatus<RungStatus>.TextOf(status));
        var read = StoredStatus<RungStatus>.Parse(stored);
        Assert.Equal(status, read.Known);
        Assert.Equal(stored, read.Text);
        Assert.Equal(read, (StoredStatus<RungStatus>)status);
    }

    [Fact]
    public void Every_rung_status_round_trips() =>
        Assert.All(Enum.GetValues<RungStatus>(), status => Assert.Equal(status, StoredStatus<RungStatus>.Parse(StoredStatus<RungStatus>.TextOf(status)).Known));

    [Theory]
    [InlineData("Measured")]
    [InlineData("running")]
    [InlineData("deferred")]
    [InlineData("")]
    public void Unknown_text_is_kept_as_stored_not_refused_or_guessed(string stored)
    {
        var read = StoredStatus<RungStatus>.Parse(stored);

        Assert.Null(read.Known);
        Assert.Equal(stored, read.Text);
        Assert.Equal(stored, read.ToString());
        Assert.NotEqual(read, (StoredStatus<RungStatus>)RungStatus.Measured);
    }

    [Fact]
    public void A_status_in_json_is_its_stored_text_known_or_not()
    {
        var options = new JsonSerializerOptions { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

        Assert.Equal("\"measured\"", JsonSerializer.Serialize((StoredStatus<RungStatus>)RungStatus.Measured, options));
        Assert.Equal("\"deferred\"", JsonSerializer.Serialize(StoredStatus<RungStatus>.Parse("deferred"), options));
        Assert.Equal(RungStatus.Skipped, JsonSerializer.Deserialize<StoredStatus<RungStatus>>("\"skipped\"", options).Known);
        Assert.Equal(StoredStatus<RungStatus>.Parse("deferred"), JsonSerializer.Deserialize<StoredStatus<RungStatus>>("\"deferred\"", options));
    }

    [Fact]
    public void A_rung_stored_by_another_version_prints_its_status_and_reason_as_stored()
    {
        var unknown = new Core.Ladder.RungReport("rag", "grounded", StoredStatus<RungStatus>.Parse("deferred"), SkipReasonColumn.Parse("waiting for an index rebuild"), null, null);
        var skipped = new Core.Ladder.RungReport("rag", "grounded", RungStatus.Skipped, new RungSkip(SkipReason.NoCorpus), null, null);

        Assert.Equal("deferred: waiting for an index rebuild", StudyText.Status(unknown));
        Assert.Equal("skipped: the task has no corpus", StudyText.Status(skipped)); // the control: a known status and reason
    }
}
