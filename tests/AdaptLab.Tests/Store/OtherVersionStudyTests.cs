using System.Text.Json.Nodes;
using AdaptLab.Core.Store;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;
using Microsoft.Data.Sqlite;

namespace AdaptLab.Tests.Store;

/// <summary>
/// A study whose rows hold a status or a reason (or whose own status is one) this version never writes (an older or newer version stored them) still
/// reads, and every rendering shows those words as they were stored; the rows this version knows read as before.
/// </summary>
public class OtherVersionStudyTests
{
    private const string OldReason = "an index rebuild was pending (written by another version)";

    [Fact]
    public async Task A_study_with_words_this_version_does_not_write_reads_and_renders_them_as_stored()
    {
        await using var server = await FakeOpenAiServer.StartAsync(SentimentTask.Model());
        using var dir = new TempDir();
        var storePath = dir.Path("runs.db");
        var climbed = await AdaptLabCli.RunAsync("run", SentimentTask.WriteTask(dir, server.Endpoint, items: 20), "--store", storePath);
        Assert.True(climbed.ExitCode == 0, climbed.ToString());
        var before = JsonNode.Parse((await AdaptLabCli.RunAsync("study", "latest", "--json", "--store", storePath)).Output)!;
        Assert.Equal("completed", (string)before["study"]!["status"]!);
        Assert.Equal("skipped", (string)before["rungs"]![1]!["status"]!);
        Assert.Equal("no variant has few-shot examples (shots)", (string)before["rungs"]![1]!["reason"]!);

        using (var connection = new SqliteConnection($"Data Source={storePath};Pooling=False"))
        {
            connection.Open();
            using var edit = connection.CreateCommand();
            edit.CommandText = $"""
                UPDATE study_rungs SET status = 'deferred' WHERE rung = 'few-shot';
                UPDATE study_rungs SET reason = '{OldReason}' WHERE rung = 'rag';
                UPDATE studies SET status = 'paused';
                """;
            Assert.Equal(3, edit.ExecuteNonQuery());
        }

        using (var store = RunStore.Open(storePath))
        {
            var study = store.FindStudy("latest")!;
            Assert.Equal("paused", study.Status.Text);
            Assert.Null(study.Status.Known);
            Assert.False(study.IsCompleted);
            Assert.Equal(study.Id, store.FindUnfinishedStudy(study.TaskPath)?.Id); // not completed, so `run --resume` continues it
            var rows = store.GetStudyRungs(store.FindStudy("latest")!.Id).ToDictionary(r => r.Rung);
            Assert.Equal(StoredStatus<RungStatus>.Parse("deferred"), rows["few-shot"].Status);
            Assert.Null(rows["few-shot"].Status.Known);
            Assert.Equal(SkipReason.Other, rows["rag"].Skip!.Reason);

            // The controls: rows this version wrote read back typed.
            Assert.Equal(RungStatus.Measured, rows["prompt"].Status.Known);
            Assert.Equal(RungStatus.Skipped, rows["rag"].Status.Known);
            Assert.Equal(SkipReason.NoTrainSplit, rows["fine-tuned"].Skip!.Reason);

            // Writing a row back writes the words it was read with.
            store.SaveStudyRung(store.FindStudy("latest")!.Id, rows["few-shot"]);
            store.SaveStudyRung(store.FindStudy("latest")!.Id, rows["rag"]);
        }

        using (var connection = new SqliteConnection($"Data Source={storePath};Mode=ReadOnly;Pooling=False"))
        {
            connection.Open();
            using var read = connection.CreateCommand();
            read.CommandText = "SELECT rung, status, reason FROM study_rungs WHERE rung IN ('few-shot', 'rag') ORDER BY rung";
            using var reader = read.ExecuteReader();
            Assert.True(reader.Read());
            Assert.Equal(("few-shot", "deferred", "no variant has few-shot examples (shots)"), (reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            Assert.True(reader.Read());
            Assert.Equal(("rag", "skipped", OldReason), (reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        var json = await AdaptLabCli.RunAsync("study", "latest", "--json", "--store", storePath, "--md", dir.Path("study.md"));
        var console = await AdaptLabCli.RunAsync("study", "latest", "--store", storePath);

        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.True(console.ExitCode == 0, console.ToString());
        Assert.Equal("paused", (string)JsonNode.Parse(json.Output)!["study"]!["status"]!);
        var rungs = JsonNode.Parse(json.Output)!["rungs"]!.AsArray().ToDictionary(r => (string)r!["rung"]!);
        Assert.Equal("deferred", (string)rungs["few-shot"]!["status"]!);
        Assert.Equal(OldReason, (string)rungs["rag"]!["reason"]!);
        Assert.Equal("skipped", (string)rungs["fine-tuned"]!["status"]!);
        Assert.Equal("the task has no data.train to fine-tune on", (string)rungs["fine-tuned"]!["reason"]!);
        var markdown = File.ReadAllText(dir.Path("study.md"));
        foreach (var shown in new[] { markdown, console.Output })
        {
            Assert.Contains("deferred: no variant has few-shot examples (shots)", shown, StringComparison.Ordinal);
            Assert.Contains("skipped: " + OldReason, shown, StringComparison.Ordinal);
            Assert.Contains("skipped: the task has no data.train to fine-tune on", shown, StringComparison.Ordinal);
        }
    }
}
