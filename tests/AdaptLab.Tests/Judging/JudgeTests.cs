using System.Globalization;
using System.Text.Json.Nodes;
using AdaptLab.Core.Store;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests.Judging;

/// <summary>
/// The task file's judges over a stored run, with the judge behind an OpenAI-compatible server on 127.0.0.1: parse
/// failures are counted and never scored, the pairwise order is randomised, self-agreement and agreement with imported
/// human ratings are reported.
/// </summary>
public sealed class JudgeTests : IAsyncLifetime
{
    private const int Items = 60;
    private readonly TempDir dir = new();
    private FakeOpenAiServer server = null!;
    private string task = null!;

    private string Store => dir.Path("runs.db");

    /// <summary>
    /// The model answers the sentiment items (wrong on every fifth); the judge gives 5 to a correct label and 2 to a wrong
    /// one, cannot decide on every seventh item, and, pairwise, always prefers whatever it is shown first.
    /// </summary>
    private static string Answer(string prompt)
    {
        if (prompt.Contains("## Response A", StringComparison.Ordinal))
        {
            return "Both are labels.\nWinner: A";
        }

        if (prompt.Contains("## Response to grade", StringComparison.Ordinal))
        {
            var item = Item(prompt);
            if (item % 7 == 0)
            {
                return "I cannot decide without more context.";
            }

            var response = prompt[(prompt.IndexOf("## Response to grade\n", StringComparison.Ordinal) + 21)..].Trim();
            return response == SentimentTask.Label(item) ? "Correct.\nScore: 5" : "Wrong label.\nScore: 2";
        }

        return SentimentTask.Model(wrongEvery: 5)(prompt);
    }

    private static int Item(string prompt)
    {
        var at = prompt.IndexOf("message number ", StringComparison.Ordinal) + 15;
        var end = at;
        while (end < prompt.Length && char.IsDigit(prompt[end]))
        {
            end++;
        }

        return int.Parse(prompt[at..end], CultureInfo.InvariantCulture);
    }

    public async Task InitializeAsync()
    {
        server = await FakeOpenAiServer.StartAsync(Answer);
        dir.Write("prompts/terse.liquid", "Text: {{ input }}\nLabel only:");
        dir.Write("rubrics/correct.md", "Score 5 when the label fits the message, 1 when it does not.");
        task = SentimentTask.WriteTask(dir, server.Endpoint, Items, extraVariant: """
              - name: terse
                prompt: prompts/terse.liquid
            judges:
              - { name: correct, model: fake, rubric: rubrics/correct.md, scale: [1, 5], repeats: 2 }
              - { name: preference, model: fake, rubric: rubrics/correct.md, pairwise: zero-shot, seed: 3 }
            """);
        var eval = await AdaptLabCli.RunAsync("eval", task, "--store", Store);
        Assert.True(eval.ExitCode == 0, eval.ToString());
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        dir.Dispose();
    }

    [Fact]
    public async Task Unreadable_verdicts_are_counted_and_left_out_of_the_score_and_a_second_judging_asks_nothing_again()
    {
        var result = await AdaptLabCli.RunAsync("judge", "latest", "--judge", "correct", "--json", "--store", Store);
        var calls = server.Calls;
        var again = await AdaptLabCli.RunAsync("judge", "latest", "--judge", "correct", "--store", Store);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(calls, server.Calls);
        Assert.Contains("replies had no verdict and are not scored", again.Output, StringComparison.Ordinal);
        var summary = JsonNode.Parse(result.Output)!.AsArray().Single(s => (string)s!["variant"]! == "zero-shot")!;
        var undecided = Enumerable.Range(0, Items).Count(i => i % 7 == 0);
        Assert.Equal(2 * Items, (int)summary["verdicts"]!);
        Assert.Equal(2 * undecided, (int)summary["parse_failures"]!);
        Assert.Equal(Items - undecided, (int)summary["items"]!);
        var judged = Enumerable.Range(0, Items).Where(i => i % 7 != 0).ToList();
        var expected = judged.Average(i => i % 5 == 0 ? 2.0 : 5.0); // zero-shot's wrong items are every fifth
        Assert.Equal(expected, (double)summary["mean"]!["value"]!, 12);
        Assert.Equal(1.0, (double)summary["self_agreement"]!["kappa"]!, 12);

        using var store = RunStore.Open(Store);
        var failed = store.GetJudgements(store.FindRun("latest")!.Id).Where(j => j.Judge == "correct" && j.Value is null).ToList();
        Assert.All(failed, j => Assert.StartsWith("no 'Score: N' line", j.Error, StringComparison.Ordinal));
        Assert.Equal(2 * 2 * undecided, failed.Count);
    }

    [Fact]
    public async Task The_pairwise_order_is_randomised_per_item_so_a_judge_that_always_prefers_the_first_shows_its_bias()
    {
        var result = await AdaptLabCli.RunAsync("judge", "latest", "--judge", "preference", "--json", "--store", Store);

        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = JsonNode.Parse(result.Output)!.AsArray().Single()!;
        Assert.Equal("terse", (string)summary["variant"]!);
        Assert.Equal("zero-shot", (string)summary["baseline"]!);
        Assert.Equal(1.0, (double)summary["first_shown_wins"]!);
        using var store = RunStore.Open(Store);
        var verdicts = store.GetJudgements(store.FindRun("latest")!.Id).Where(j => j.Judge == "preference").ToList();
        Assert.Equal(Items, verdicts.Count);
        Assert.All(verdicts, v => Assert.Equal(v.ShownSecond == true ? 0 : 1, v.Value));
        var second = verdicts.Count(v => v.ShownSecond == true);
        Assert.InRange(second, 18, 42); // a fair coin per item: 60 flips land this far from 30 with probability under 0.001
        Assert.Equal((double)(Items - second) / Items, (double)summary["mean"]!["value"]!, 12);
    }

    [Fact]
    public async Task Human_ratings_imported_from_CSV_calibrate_the_judge_with_Cohens_kappa_and_a_bad_row_names_its_line()
    {
        using (var store = RunStore.Open(Store))
        {
            Assert.NotNull(store.FindRun("latest"));
        }

        // The rater agrees with the judge except on items 1 and 2, where they give 2 to a correct label.
        var csv = new System.Text.StringBuilder("id,variant,rating,note\n");
        var rated = Enumerable.Range(1, 30).Where(i => i % 7 != 0).ToList();
        foreach (var i in rated)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{i},zero-shot,{(i % 5 == 0 || i <= 2 ? 2 : 5)},\n");
        }

        dir.Write("ratings.csv", csv.ToString());
        dir.Write("bad.csv", "id,variant,rating\n1,zero-shot,5\n2,zero-shot,five\n");

        var bad = await AdaptLabCli.RunAsync("human", "import", "latest", dir.Path("bad.csv"), "--store", Store);
        var imported = await AdaptLabCli.RunAsync("human", "import", "latest", dir.Path("ratings.csv"), "--rater", "ana", "--store", Store);
        var judged = await AdaptLabCli.RunAsync("judge", "latest", "--judge", "correct", "--json", "--store", Store);

        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("bad.csv:3: rating: 'five' is not a number", bad.Error, StringComparison.Ordinal);
        Assert.True(imported.ExitCode == 0, imported.ToString());
        using var runs = RunStore.Open(Store);
        Assert.Equal(rated.Count, runs.GetHumanRatings(runs.FindRun("latest")!.Id).Count); // the bad file stored nothing
        var human = JsonNode.Parse(judged.Output)!.AsArray().Single(s => (string)s!["variant"]! == "zero-shot")!["human_agreement"]!;
        var judge = rated.Select(i => i % 5 == 0 ? 2 : 5).ToArray();
        var people = rated.Select(i => i % 5 == 0 || i <= 2 ? 2 : 5).ToArray();
        var reference = PythonReference.Run("""
            import json, sys
            from sklearn.metrics import cohen_kappa_score
            d = json.load(sys.stdin)
            print(json.dumps(cohen_kappa_score(d["a"], d["b"])))
            """, new { a = judge, b = people });
        Assert.Equal(reference.GetDouble(), (double)human["kappa"]!, 12);
        Assert.Equal(rated.Count, (int)human["n"]!);
    }
}
