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

    [Theory]
    [InlineData(nameof(RunStatus.Running), "running")]
    [InlineData(nameof(RunStatus.Completed), "completed")]
    public void Run_and_study_status_survive_their_columns(string statusName, string stored)
    {
        var run = Enum.Parse<RunStatus>(statusName);
        var study = Enum.Parse<StudyStatus>(statusName);

        Assert.Equal(stored, StoredStatus<RunStatus>.TextOf(run));
        Assert.Equal(stored, StoredStatus<StudyStatus>.TextOf(study));
        Assert.Equal(run, StoredStatus<RunStatus>.Parse(stored).Known);
        Assert.Equal(study, StoredStatus<StudyStatus>.Parse(stored).Known);
    }

    [Fact]
    public void Every_run_and_study_status_round_trips()
    {
        Assert.All(Enum.GetValues<RunStatus>(), s => Assert.Equal(s, StoredStatus<RunStatus>.Parse(StoredStatus<RunStatus>.TextOf(s)).Known));
        Assert.All(Enum.GetValues<StudyStatus>(), s => Assert.Equal(s, StoredStatus<StudyStatus>.Parse(StoredStatus<StudyStatus>.TextOf(s)).Known));
    }

    [Theory]
    [InlineData("running", "unfinished", false)]
    [InlineData("completed", "completed", true)]
    [InlineData("archived", "archived", false)]
    [InlineData("Completed", "Completed", false)]
    public void A_runs_state_is_completed_unfinished_or_its_stored_text(string stored, string state, bool completed)
    {
        var run = new RunInfo("run-1", "task", "adaptlab.yaml", "h", "name: task", "test.csv", "h", 1, null,
            new RunConfig(Core.Tasks.TaskKind.Classification, [], new Dictionary<string, double>(), null, null, null),
            StoredStatus<RunStatus>.Parse(stored), DateTimeOffset.UnixEpoch, null);

        Assert.Equal(state, run.State);
        Assert.Equal(completed, run.IsCompleted);
    }

    [Theory]
    [InlineData("running", false)]
    [InlineData("completed", true)]
    [InlineData("paused", false)]
    public void A_study_is_completed_only_when_its_status_says_so(string stored, bool completed)
    {
        var study = new StudyInfo("study-1", "adaptlab.yaml", "task", "run-1", false, "{}", DateTimeOffset.UnixEpoch) { Status = StoredStatus<StudyStatus>.Parse(stored) };

        Assert.Equal(completed, study.IsCompleted);
        Assert.Equal(stored, study.Status.Text);
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
