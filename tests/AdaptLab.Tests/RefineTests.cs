using System.Diagnostics;
using System.Text.Json;
using AdaptLab.Core.Store;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests;

/// <summary><c>refine</c>: in a real terminal (tmux, vi), and with --prompt-file.</summary>
public sealed class RefineTests
{
    /// <summary>Right on every item when the prompt asks for the label only (but item 0), else wrong on every second item.</summary>
    private static Func<string, string> Model => prompt =>
        prompt.Contains("Label only", StringComparison.Ordinal) ? SentimentTask.Model(wrongEvery: 1000)(prompt) : SentimentTask.Model(wrongEvery: 2)(prompt);

    [Fact]
    public async Task Refine_in_a_terminal_opens_the_editor_reruns_failures_and_a_regression_sample_and_records_the_lineage()
    {
        Assert.True(File.Exists("/usr/bin/tmux"), "tmux is needed for this test: apt-get install tmux (scripts/setup.sh does)");
        await using var server = await FakeOpenAiServer.StartAsync(Model);
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, server.Endpoint, items: 20);
        var store = dir.Path("runs.db");
        Assert.Equal(1, (await AdaptLabCli.RunAsync("eval", task, "--store", store)).ExitCode);
        var socket = "adaptlab-" + Guid.NewGuid().ToString("N")[..8];
        var cli = $"dotnet {Path.Combine(AppContext.BaseDirectory, "adaptlab.dll")} refine {task} --variant zero-shot --regression 5 --store {store}";

        try
        {
            await TmuxAsync(socket, "new-session", "-d", "-x", "220", "-y", "60", $"env -u CI EDITOR=vi {cli}; echo $? > {dir.Path("rc")}; sleep 60");
            await UntilAsync(async () => (await ScreenAsync(socket)).Contains("\"prompts/", StringComparison.Ordinal) || (await ScreenAsync(socket)).Contains("adaptlab-refine-", StringComparison.Ordinal));
            await TmuxAsync(socket, "send-keys", ":%s/Label:/Label only:/", "Enter");
            await TmuxAsync(socket, "send-keys", ":wq", "Enter");
            await UntilAsync(() => Task.FromResult(File.Exists(dir.Path("rc")) && File.ReadAllText(dir.Path("rc")).Length > 0));
            var screen = await TmuxAsync(socket, "capture-pane", "-p", "-J", "-S", "-300");

            Assert.True(File.ReadAllText(dir.Path("rc")).Trim() == "0", screen);
            Assert.Contains("10 of 20 items short on accuracy", screen);
            Assert.Contains("9 of 10 failing items now pass on accuracy; 0 of 5 passing items now fail", screen);
            Assert.Contains("after − before", screen);
        }
        finally
        {
            await TmuxAsync(socket, "kill-server");
        }

        Assert.Contains("Label only:", File.ReadAllText(dir.Path("prompts/classify.liquid")));
        using var runs = RunStore.Open(store);
        Assert.Equal(15, runs.FindRun("latest")!.ItemCount);
        var prompts = await AdaptLabCli.RunAsync("prompts", "--store", store, "--json");
        using var versions = JsonDocument.Parse(prompts.Output);
        var list = versions.RootElement.EnumerateArray().ToList();
        Assert.Equal(list[0].GetProperty("version").GetString(), list[1].GetProperty("parent").GetString());
    }

    [Fact]
    public async Task Refine_with_a_prompt_file_needs_no_terminal_and_an_unchanged_prompt_runs_nothing()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Model);
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, server.Endpoint, items: 20);
        var store = dir.Path("runs.db");
        await AdaptLabCli.RunAsync("eval", task, "--store", store);
        var same = dir.Write("same.liquid", File.ReadAllText(dir.Path("prompts/classify.liquid")));
        var better = dir.Write("better.liquid", "Labels: {{ labels | join: \", \" }}\nText: {{ input }}\nLabel only:");
        var calls = server.Calls;

        var unchanged = await AdaptLabCli.RunAsync("refine", task, "--variant", "zero-shot", "--prompt-file", same, "--store", store);
        var noEditor = await AdaptLabCli.RunAsync("refine", task, "--variant", "zero-shot", "--store", store);
        var refined = await AdaptLabCli.RunAsync("refine", task, "--variant", "zero-shot", "--prompt-file", better, "--regression", "3", "--store", store);

        Assert.True(unchanged.ExitCode == 0, unchanged.ToString());
        Assert.Contains("unchanged", unchanged.Output);
        Assert.Equal(2, noEditor.ExitCode);
        Assert.Contains("--prompt-file", noEditor.Error);
        Assert.True(refined.ExitCode == 0, refined.ToString());
        Assert.Equal(calls + 13, server.Calls);
        Assert.Contains("9 of 10 failing items now pass", refined.Output);
    }

    private static async Task<string> ScreenAsync(string socket) => await TmuxAsync(socket, "capture-pane", "-p");

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(90), "timed out waiting for the terminal");
            await Task.Delay(200);
        }
    }

    private static async Task<string> TmuxAsync(string socket, params string[] args)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-L");
        start.ArgumentList.Add(socket);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }
}
