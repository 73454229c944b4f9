using System.Text.Json;
using System.Text.RegularExpressions;
using AdaptLab.Core.Decision;
using AdaptLab.Core.Diagnosis;
using AdaptLab.Core.Ladder;
using AdaptLab.Core.Readiness;
using AdaptLab.Core.Reports;
using AdaptLab.Core.Store;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests;

/// <summary>
/// Text of a task, an item or a model is data in every report: HTML-encoded in the HTML ones, so it never becomes markup
/// or script, and never evaluated as Liquid by the templates the reports are rendered from.
/// </summary>
public class ReportEscapingTests
{
    private const string Script = "<script>alert(1)</script>";
    private const string Liquid = "{{ 1 | plus: 1 }} {% raw %}";
    private const string Hostile = Script + " " + Liquid;
    private const string Encoded = "&lt;script&gt;alert(1)&lt;/script&gt; " + Liquid;

    [Fact]
    public async Task Item_ids_inputs_and_model_replies_stay_text_in_the_run_and_readiness_reports()
    {
        await using var server = await FakeOpenAiServer.StartAsync(_ => Hostile);
        using var dir = new TempDir();
        dir.Write("items.jsonl", string.Join("\n", Enumerable.Range(0, 4).Select(i =>
            JsonSerializer.Serialize(new Dictionary<string, string> { ["id"] = $"{Hostile} {i}", ["question"] = $"question {i}: {Hostile}", ["answer"] = "Rex" }))));
        dir.Write("q.liquid", "{{ input }}");
        var task = dir.Write("adaptlab.yaml", $$"""
            name: escaping
            task: qa
            data:
              train: items.jsonl
              test: items.jsonl
              fields: { id: id, input: question, expected: answer }
            metrics: [exact_match]
            models:
              fake: { ref: "openai-compatible:fake-model", endpoint: "{{server.Endpoint}}" }
            defaults: { model: fake, temperature: 0, max_tokens: 8 }
            variants:
              - { name: plain, prompt: q.liquid }
            """);
        var store = dir.Path("runs.db");

        var eval = await AdaptLabCli.RunAsync("eval", task, "--store", store);
        var md = await AdaptLabCli.RunAsync("report", "latest", "--format", "md", "-o", "-", "--store", store);
        var html = await AdaptLabCli.RunAsync("report", "latest", "--format", "html", "-o", "-", "--store", store);
        var readiness = await AdaptLabCli.RunAsync("readiness", task, "--html", dir.Path("readiness.html"));

        Assert.True(eval.ExitCode == 0, eval.ToString());
        Assert.True(md.ExitCode == 0 && html.ExitCode == 0, md.ToString() + html);

        // Markdown is text: only what would end a table cell is escaped, the rest is there as the item and the model wrote it.
        var cell = Hostile.Replace("|", "\\|", StringComparison.Ordinal);
        Assert.Contains($"| {cell} 0 | plain | {cell} | exact_match: expected \"Rex\" |", md.Output, StringComparison.Ordinal);

        // The run page carries its data as JSON in a script element, where "<" cannot close it; the page's script shows it as text.
        Assert.DoesNotContain(Script, html.Output, StringComparison.Ordinal);
        var data = Regex.Match(html.Output, """<script type="application/json" id="report-data">(.*?)</script>""", RegexOptions.Singleline).Groups[1].Value;
        using var json = JsonDocument.Parse(data);
        var item = json.RootElement.GetProperty("items")[0];
        Assert.Equal($"{Hostile} 0", item.GetProperty("id").GetString());
        Assert.Equal($"question 0: {Hostile}", item.GetProperty("input").GetString());
        Assert.Equal(Hostile, item.GetProperty("outputs")[0].GetProperty("output").GetString());

        // Readiness shows the ids of the leaked items (train and test are one file here).
        Assert.True(readiness.ExitCode == 1, readiness.ToString());
        var page = File.ReadAllText(dir.Path("readiness.html"));
        Assert.DoesNotContain(Script, page, StringComparison.Ordinal);
        Assert.Contains($"<code>test {Encoded} 0 = train {Encoded} 0</code>", page, StringComparison.Ordinal);
    }

    [Fact]
    public void A_studys_names_and_sentences_stay_text_in_its_html_and_markdown()
    {
        var report = Study();

        var html = StudyPage.Html(report);
        var md = StudyPage.Markdown(report);

        // Positive control: the same text reaches the Markdown as it is, so its absence from the HTML is the encoding's doing.
        Assert.Contains($"# {Hostile}: prompting is enough", md, StringComparison.Ordinal);
        Assert.Contains($"| {Hostile} | {Hostile} | measured: misses {Hostile} | 40.0 [30.0, 50.0] |", md, StringComparison.Ordinal);
        Assert.Contains($"- {Hostile}", md, StringComparison.Ordinal);
        Assert.DoesNotContain(Script, html, StringComparison.Ordinal);
        Assert.Contains($"<title>{Encoded}: prompting is enough</title>", html, StringComparison.Ordinal);
        Assert.Contains($"<text x=\"0\" y=\"20\">{Encoded}</text>", html, StringComparison.Ordinal);
        Assert.Contains($"<li>{Encoded}</li>", html, StringComparison.Ordinal);
        Assert.Contains($"<p>Training data: not ready ({Encoded}).</p>", html, StringComparison.Ordinal);
    }

    private static StudyReport Study()
    {
        var evidence = new RungEvidence(
            RungKind.Prompt, Hostile, 0.4, 0.3, 0.5, 10, false, [Hostile], null, new RungCost(12, 3, null, 0.5, 10, 20), FailureMix.Of([], [Hostile]));
        return new StudyReport(
            new StudyInfo("study-1", "adaptlab.yaml", Hostile, "run-1", false, "{}", DateTimeOffset.UnixEpoch),
            "run-1",
            Hostile,
            "exact_match",
            HigherIsBetter: true,
            FullScale: 1,
            Target: 0.9,
            [new RungReport(Hostile, Hostile, RungStatus.Measured, null, null, evidence), new RungReport("rag", Hostile, RungStatus.Skipped, new RungSkip(SkipReason.LocalOnly, [Hostile]), null, null)],
            [],
            null,
            new StudyReadiness(Verdict.NotReady, [Hostile]),
            new Recommendation(Outcome.PromptingIsEnough, Hostile, Hostile, [Hostile], [Hostile]))
        {
            Assumptions = [Hostile],
        };
    }
}
