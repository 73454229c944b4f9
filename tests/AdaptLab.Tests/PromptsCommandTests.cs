using System.Text.Json;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests;

public sealed class PromptsCommandTests
{
    [Fact]
    public async Task Prompts_lists_each_version_with_its_scores_and_diff_shows_the_text_and_the_paired_delta()
    {
        // The fake model is always right when the prompt asks for the label only, else wrong on every second item.
        await using var server = await FakeOpenAiServer.StartAsync(prompt =>
            prompt.Contains("Label only", StringComparison.Ordinal) ? SentimentTask.Model(wrongEvery: 1000)(prompt) : SentimentTask.Model(wrongEvery: 2)(prompt));
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, server.Endpoint, items: 40);
        var store = dir.Path("runs.db");
        var first = await AdaptLabCli.RunAsync("eval", task, "--store", store);
        dir.Write("prompts/classify.liquid", "Labels: {{ labels | join: \", \" }}\nText: {{ input }}\nLabel only:");
        var second = await AdaptLabCli.RunAsync("eval", task, "--store", store);

        var list = await AdaptLabCli.RunAsync("prompts", "--store", store, "--json");
        var table = await AdaptLabCli.RunAsync("prompts", "--store", store);

        Assert.True(first.ExitCode == 1, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        using var versions = JsonDocument.Parse(list.Output);
        var hashes = versions.RootElement.EnumerateArray().Select(v => v.GetProperty("version").GetString()!).ToList();
        Assert.Equal(2, hashes.Count);
        var accuracy = versions.RootElement.EnumerateArray()
            .Select(v => v.GetProperty("latest").GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "accuracy").GetProperty("value").GetDouble())
            .ToList();
        Assert.Equal([50, 97.5], accuracy); // item 0 is a multiple of every wrongEvery
        Assert.Contains(hashes[0][..12], table.Output);
        Assert.Contains("accuracy 50 [", table.Output);

        var diff = await AdaptLabCli.RunAsync("prompts", "diff", hashes[0][..8], hashes[1][..8], "--store", store);
        var diffJson = await AdaptLabCli.RunAsync("prompts", "diff", hashes[0][..8], hashes[1][..8], "--store", store, "--json");

        Assert.True(diff.ExitCode == 0, diff.ToString());
        Assert.Contains("- Label:", diff.Output);
        Assert.Contains("+ Label only:", diff.Output);
        Assert.Contains("  Text: {{ input }}", diff.Output);
        using var rows = JsonDocument.Parse(diffJson.Output);
        var row = rows.RootElement.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("metric").GetString() == "accuracy");
        Assert.Equal(0.475, row.GetProperty("difference").GetDouble(), 12);
        Assert.Equal(40, row.GetProperty("n").GetInt32());
        Assert.True(row.GetProperty("lower").GetDouble() > 0, "B is better on the same items");

        var unknown = await AdaptLabCli.RunAsync("prompts", "diff", "ffffffff", hashes[1][..8], "--store", store);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no prompt version starts with 'ffffffff'", unknown.Error);
    }
}
