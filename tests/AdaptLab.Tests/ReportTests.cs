using System.Diagnostics;
using System.Text.Json;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;
using AdaptLab.Core.Evidence;

namespace AdaptLab.Tests;

public class ReportTests
{
    private const string Chromium = "/usr/bin/chromium";

    private static async Task<(TempDir Dir, string Store)> RunTwoVariantsAsync(FakeOpenAiServer server)
    {
        var dir = new TempDir();
        dir.Write("prompts/terse.liquid", "Text: {{ input }}\nLabel only:");
        var task = SentimentTask.WriteTask(dir, server.Endpoint, items: 50, extraVariant: """
              - name: terse
                prompt: prompts/terse.liquid
            """);
        var store = dir.Path("runs.db");
        var result = await AdaptLabCli.RunAsync("eval", task, "--store", store);
        Assert.True(result.ExitCode == 0, result.ToString());
        return (dir, store);
    }

    [Fact]
    public async Task The_html_report_renders_in_headless_chromium_without_console_errors()
    {
        Assert.True(File.Exists(Chromium), "Debian's chromium is needed for this test: apt-get install chromium (scripts/setup.sh does)");
        await using var server = await FakeOpenAiServer.StartAsync(SentimentTask.Model(wrongEvery: 5));
        var (dir, store) = await RunTwoVariantsAsync(server);
        using var _ = dir;
        var html = dir.Path("report.html");

        var result = await AdaptLabCli.RunAsync("report", "latest", "--format", "html", "-o", html, "--store", store);

        Assert.True(result.ExitCode == 0, result.ToString());
        var text = File.ReadAllText(html);
        Assert.DoesNotMatch(@"(src|href)\s*=\s*[""']?(https?:)?//|@import|url\(", text);

        var (dom, log) = await DumpDomAsync(html, dir.Path("chromium-profile"));

        Assert.DoesNotContain(":CONSOLE", log, StringComparison.Ordinal);
        Assert.Contains("50 of 50 items shown", dom, StringComparison.Ordinal);
        Assert.Contains("terse vs zero-shot", dom, StringComparison.Ordinal);
        // Both variants give the same answers, so p is 1, written by Format.PValue as everywhere else (the page's own rounding wrote "1").
        Assert.Contains("<td class=\"num\">1.0000</td>", dom, StringComparison.Ordinal);
        Assert.Contains("<svg", dom, StringComparison.Ordinal);
        Assert.Contains("Label only:", dom, StringComparison.Ordinal);

        // Positive control: the same report with a script error planted in it fails the check.
        var broken = dir.Path("broken.html");
        File.WriteAllText(broken, text.Replace("</body>", "<script>console.error('planted'); undefinedFunction();</script></body>", StringComparison.Ordinal));
        var (_, brokenLog) = await DumpDomAsync(broken, dir.Path("chromium-profile-2"));
        Assert.Contains(":CONSOLE", brokenLog, StringComparison.Ordinal);
        Assert.Contains("planted", brokenLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Markdown_and_json_reports_state_the_methods_and_the_numbers()
    {
        await using var server = await FakeOpenAiServer.StartAsync(SentimentTask.Model(wrongEvery: 5));
        var (dir, store) = await RunTwoVariantsAsync(server);
        using var _ = dir;

        var md = await AdaptLabCli.RunAsync("report", "latest", "--format", "md", "-o", "-", "--store", store);
        var json = await AdaptLabCli.RunAsync("report", "latest", "--format", "json", "-o", "-", "--store", store);

        Assert.Contains("| zero-shot | `openai-compatible:fake-model` | 50 | 80 [", md.Output);
        Assert.Contains(RunReport.ScaleNote, md.Output);
        Assert.Contains("Wilson score interval", md.Output);
        Assert.Contains("exact McNemar test", md.Output);
        Assert.Contains("Holm-Bonferroni", md.Output);
        using var doc = JsonDocument.Parse(json.Output);
        var variants = doc.RootElement.GetProperty("variants");
        Assert.Equal(2, variants.GetArrayLength());
        var accuracy = variants[0].GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "accuracy");
        Assert.Equal(0.8, accuracy.GetProperty("value").GetDouble(), 12);
        Assert.Equal(50, doc.RootElement.GetProperty("items").GetArrayLength());
    }

    internal static async Task<(string Dom, string Log)> DumpDomAsync(string html, string profile)
    {
        var psi = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
            "--dump-dom", new Uri(html).AbsoluteUri,
        })
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)!;
        var dom = process.StandardOutput.ReadToEndAsync();
        var log = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        return (await dom, await log);
    }
}

public class InvalidLabelReportTests
{
    [Fact]
    public async Task Invalid_replies_are_counted_per_variant_in_every_report_and_the_f1_averaging_is_stated()
    {
        // 30 items; items 0, 7, 14, 21 and 28 get a reply that names no label.
        await using var server = await FakeOpenAiServer.StartAsync(prompt =>
            prompt.Contains("number 0\n", StringComparison.Ordinal) || prompt.Contains("number 7\n", StringComparison.Ordinal) ||
            prompt.Contains("number 14\n", StringComparison.Ordinal) || prompt.Contains("number 21\n", StringComparison.Ordinal) ||
            prompt.Contains("number 28\n", StringComparison.Ordinal)
                ? "I am not sure."
                : SentimentTask.Model(wrongEvery: 1000)(prompt));
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, server.Endpoint, items: 30);
        var store = dir.Path("runs.db");

        var eval = await AdaptLabCli.RunAsync("eval", task, "--store", store);
        var md = await AdaptLabCli.RunAsync("report", "latest", "--format", "md", "-o", "-", "--store", store);
        var json = await AdaptLabCli.RunAsync("report", "latest", "--format", "json", "-o", "-", "--store", store);
        var html = dir.Path("report.html");
        var htmlResult = await AdaptLabCli.RunAsync("report", "latest", "--format", "html", "-o", html, "--store", store);

        Assert.True(eval.ExitCode == 0, eval.ToString()); // 25 of 30 right passes the 0.75 target; invalid replies are not call errors
        Assert.Matches(@"invalid", eval.Output);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(md.Output, @"\| zero-shot \|[^\n]*\| 5 \| 0 \(0%\) \|"), md.Output);
        Assert.Contains(RunReport.LabelNote, md.Output);
        // Per gold label: two invalid replies are two misses of "negative" and nobody's false positive (scikit-learn's labels=...).
        Assert.Contains("| negative | 100 | 80 | 88.89 | 10 | 2 |", md.Output);
        using var doc = JsonDocument.Parse(json.Output);
        Assert.Equal(5, doc.RootElement.GetProperty("variants")[0].GetProperty("invalid_labels").GetInt32());
        Assert.Equal(RunReport.LabelNote, doc.RootElement.GetProperty("label_matching").GetString());
        Assert.True(htmlResult.ExitCode == 0, htmlResult.ToString());
        Assert.Contains("invalid_labels", File.ReadAllText(html));
    }
}
