using System.Text.Json;
using AdaptLab.Metrics.Text;
using AdaptLab.Tests.Support;

namespace AdaptLab.Metrics.Tests.Text;

/// <summary>
/// Every case of google-research rouge_scorer_test.py (rouge_score.json), to the decimal places
/// it asserts, plus its LCS internals; the texts of the cases against ROUGE-1.5.5 come from
/// rouge-testdata/.
/// </summary>
public class RougeScoreTests
{
    private const string File = "rouge_score.json";

    public static TheoryData<int> Cases => Indices("cases");

    public static TheoryData<int> Internals => Indices("internals");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_rouge_score(int index)
    {
        var c = MetricVectors.File(File).GetProperty("cases")[index];
        var metric = new RougeMetric(c.GetProperty("rouge_type").GetString()!, c.GetProperty("use_stemmer").GetBoolean());
        var (target, prediction) = Texts(c);

        var score = metric.Score(target, prediction);

        var tolerance = 0.5 * Math.Pow(10, -c.GetProperty("assert_places").GetInt32());
        var expected = c.GetProperty("expected");
        AssertClose(expected.GetProperty("precision").GetDouble(), score.Precision, tolerance);
        AssertClose(expected.GetProperty("recall").GetDouble(), score.Recall, tolerance);
        AssertClose(expected.GetProperty("fmeasure").GetDouble(), score.FMeasure, tolerance);
    }

    [Theory]
    [MemberData(nameof(Internals))]
    public void Lcs_internals_match_rouge_score(int index)
    {
        var c = MetricVectors.File(File).GetProperty("internals")[index];
        var ids = new Dictionary<string, int>();
        switch (c.GetProperty("function").GetString())
        {
            case "_lcs_table / _backtrack_norec":
                var reference = Tokens(c.GetProperty("ref"), ids);
                var candidate = Tokens(c.GetProperty("can"), ids);
                var table = Lcs.Table(reference, candidate);
                var indices = Lcs.Backtrack(table, reference, candidate);
                Assert.Equal(c.GetProperty("expected_lcs_length").GetInt32(), table[reference.Count, candidate.Count]);
                Assert.Equal(Tokens(c.GetProperty("expected_lcs_ref_indices"), ids), indices);
                if (c.TryGetProperty("expected_lcs_values", out var values))
                {
                    Assert.Equal(Tokens(values, ids), indices.Select(i => reference[i]));
                }

                break;
            case "_find_union":
                var lists = c.GetProperty("lcs_list").EnumerateArray().Select(l => Tokens(l, ids)).ToList();
                Assert.Equal(Tokens(c.GetProperty("expected"), ids), Lcs.FindUnion(lists));
                break;
            case "_union_lcs":
                var candidates = c.GetProperty("candidates").EnumerateArray().Select(l => (IReadOnlyList<int>)Tokens(l, ids)).ToList();
                Assert.Equal(Tokens(c.GetProperty("expected_tokens"), ids), Lcs.UnionLcs(Tokens(c.GetProperty("ref"), ids), candidates));
                break;
            case "_summary_level_lcs":
                var refs = c.GetProperty("refs").EnumerateArray().Select(l => (IReadOnlyList<int>)Tokens(l, ids)).ToList();
                var cans = c.GetProperty("cans").EnumerateArray().Select(l => (IReadOnlyList<int>)Tokens(l, ids)).ToList();
                var score = RougeScorer.SummaryLevelLcs(refs, cans);
                var expected = c.GetProperty("expected");
                AssertClose(expected.GetProperty("recall").GetDouble(), score.Recall, 0.5e-7);
                if (expected.TryGetProperty("precision", out var precision))
                {
                    AssertClose(precision.GetDouble(), score.Precision, 0.5e-7);
                    AssertClose(expected.GetProperty("fmeasure_places3").GetDouble(), score.FMeasure, 0.5e-3);
                }

                break;
            default:
                throw new InvalidOperationException("no check written for " + c.GetProperty("function"));
        }
    }

    [Fact]
    public void Metric_takes_the_best_reference_and_averages_items()
    {
        var metric = MetricCatalog.Create("rougeL");
        var value = metric.Compute([
            new MetricItem("testing one", ["nothing alike", "testing one two"]),
            MetricItem.Single("", "testing"),
        ]);

        Assert.Equal([0.8, 0.0], value.PerItem!.Select(v => Math.Round(v, 12)));
        Assert.Equal(0.4, value.Value, 12);
        Assert.Equal(MetricShape.MeanOfItems, metric.Shape);
    }

    [Fact]
    public void Unknown_rouge_type_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new RougeMetric("rouge0"));
        Assert.Throws<ArgumentException>(() => new RougeMetric("rougeX"));
    }

    // The cases against ROUGE-1.5.5 name rouge/testdata files; their texts are read from the
    // copies in rouge-testdata/, and must equal the strings the JSON transcribes.
    private static (string Target, string Prediction) Texts(JsonElement c)
    {
        var target = c.GetProperty("target").GetString()!;
        var prediction = c.GetProperty("prediction").GetString()!;
        if (!c.GetProperty("source").TryGetProperty("data_files", out var files))
        {
            return (target, prediction);
        }

        string fromTarget, fromPrediction;
        if (files.TryGetProperty("target_multi.0.txt", out _))
        {
            fromTarget = ReadTestData("pyrouge_files", "target_multi.0.txt");
            fromPrediction = ReadTestData("pyrouge_files", "prediction_multi.0.txt");
        }
        else
        {
            var targetLines = Lines(ReadTestData("target.txt"));
            var line = targetLines.IndexOf(target);
            Assert.True(line >= 0, "the case's target is not a line of rouge-testdata/target.txt");
            fromTarget = targetLines[line];
            fromPrediction = Lines(ReadTestData("prediction.txt"))[line];
        }

        Assert.Equal(fromTarget, target);
        Assert.Equal(fromPrediction, prediction);
        return (fromTarget, fromPrediction);
    }

    private static string ReadTestData(params string[] parts) =>
        System.IO.File.ReadAllText(SharedData.Path(["datasets", "metric-vectors", "rouge-testdata", .. parts]));

    // Python's readlines(): lines keep their "\n".
    private static List<string> Lines(string text) =>
        text.Split('\n').SkipLast(1).Select(l => l + "\n").ToList();

    private static List<int> Tokens(JsonElement array, Dictionary<string, int> ids) =>
        array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number
            ? e.GetInt32()
            : ids.TryGetValue(e.GetString()!, out var id) ? id : ids[e.GetString()!] = 1_000_000 + ids.Count).ToList();

    private static TheoryData<int> Indices(string property)
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < MetricVectors.File(File).GetProperty(property).GetArrayLength(); i++)
        {
            data.Add(i);
        }

        return data;
    }

    private static void AssertClose(double expected, double actual, double tolerance) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected:R}, got {actual:R} (tolerance {tolerance})");
}
