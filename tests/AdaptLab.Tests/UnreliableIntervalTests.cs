using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests;

/// <summary>An unreliable interval is marked on the console, from the run and from the store, not only in the reports' notes.</summary>
public class UnreliableIntervalTests
{
    [Fact]
    public async Task A_label_with_a_single_item_marks_macro_f1_on_the_console_and_in_markdown()
    {
        // Four items: "negative" twice, "neutral" and "positive" once each, so two labels have a single item.
        await using var server = await FakeOpenAiServer.StartAsync(SentimentTask.Model(wrongEvery: 5));
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, server.Endpoint, items: 4);
        var store = dir.Path("runs.db");

        var eval = await AdaptLabCli.RunAsync("eval", task, "--store", store);
        var show = await AdaptLabCli.RunAsync("show", "latest", "--store", store);
        var md = await AdaptLabCli.RunAsync("report", "latest", "--format", "md", "-o", "-", "--store", store);

        const string Caution = "zero-shot macro_f1: unreliable interval, 2 of 3 labels have a single item";
        foreach (var output in new[] { eval.Output, show.Output })
        {
            Assert.Contains("]*", output);
            Assert.Contains("* " + Caution, output);
        }

        Assert.Contains("\\* " + Caution, md.Output);

        // Accuracy's Wilson interval carries no caution: only the one metric is marked.
        Assert.Single(eval.Output.Split('\n'), l => l.Contains("unreliable", StringComparison.Ordinal));
    }
}
