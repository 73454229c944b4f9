using System.Text.Json;
using AdaptLab.Metrics.Classification;
using AdaptLab.Tests.Support;

namespace AdaptLab.Metrics.Tests.Classification;

public class ClassificationReportTests
{
    private const double Tolerance = 1e-12;

    private const string SklearnScript = """
        import json, sys
        from sklearn.metrics import confusion_matrix, precision_recall_fscore_support
        out = []
        for case in json.load(sys.stdin):
            gold, pred = case["gold"], case["pred"]
            p, r, f, s = precision_recall_fscore_support(gold, pred, zero_division=0)
            averages = {}
            for average in ["macro", "micro", "weighted"]:
                ap, ar, af, _ = precision_recall_fscore_support(gold, pred, average=average, zero_division=0)
                averages[average] = [ap, ar, af]
            out.append({
                "labels": sorted(set(gold) | set(pred)),
                "precision": p.tolist(), "recall": r.tolist(), "f1": f.tolist(), "support": s.tolist(),
                "averages": averages,
                "confusion": confusion_matrix(gold, pred).tolist(),
            })
        print(json.dumps(out))
        """;

    [Fact]
    public void Matches_sklearn_on_seeded_random_label_vectors()
    {
        var rng = new Random(7);
        var cases = new List<(string[] Gold, string[] Pred)>();
        foreach (var (n, classes) in new[] { (1, 1), (5, 3), (40, 4), (200, 12), (500, 30) })
        {
            // Predictions draw from a wider label set, so some classes are only predicted and
            // (at small n) some only gold: both zero_division branches get exercised.
            var gold = Enumerable.Range(0, n).Select(_ => $"c{rng.Next(classes):D2}").ToArray();
            var pred = gold.Select(g => rng.NextDouble() < 0.6 ? g : $"c{rng.Next(classes + 2):D2}").ToArray();
            cases.Add((gold, pred));
        }

        cases.Add((["b", "a", "b"], ["B", "a", "a"]));
        AssertMatchesSklearn(cases);
    }

    [Fact]
    public void Matches_sklearn_on_banking77_with_a_synthetic_prediction_vector()
    {
        var gold = Banking77.TestLabels();
        Assert.Equal(3080, gold.Length);
        var intents = gold.Distinct().Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(77, intents.Length);

        // A confusable-neighbour error model: most misses go to the next intent in sort order, a
        // few to a label outside the dataset, as an unparsed model answer would.
        var rng = new Random(77);
        var pred = gold.Select(g => rng.NextDouble() switch
        {
            < 0.82 => g,
            < 0.97 => intents[(Array.IndexOf(intents, g) + 1 + rng.Next(3)) % intents.Length],
            _ => "unknown",
        }).ToArray();

        AssertMatchesSklearn([(gold, pred)]);
    }

    [Fact]
    public void Confusion_matrix_is_indexed_by_actual_then_predicted_label()
    {
        var report = ClassificationReport.Compute(["cat", "cat", "dog"], ["dog", "cat", "dog"]);

        Assert.Equal(["cat", "dog"], report.Confusion.Labels);
        Assert.Equal(1, report.Confusion.Count("cat", "dog"));
        Assert.Equal(0, report.Confusion.Count("dog", "cat"));
        Assert.Equal(report.Confusion[0, 1], report.Confusion.Count("cat", "dog"));
        Assert.Throws<ArgumentException>(() => report.Confusion.Count("cat", "bird"));
    }

    [Fact]
    public void Rejects_mismatched_or_empty_label_vectors()
    {
        Assert.Contains("2 gold labels but 1 predictions",
            Assert.Throws<ArgumentException>(() => ClassificationReport.Compute(["a", "b"], ["a"])).Message);
        Assert.Throws<ArgumentException>(() => ClassificationReport.Compute([], []));
        var error = Assert.Throws<ArgumentException>(() => ClassificationReport.FromItems([new MetricItem("a", ["a", "b"])]));
        Assert.Contains("item 0 has 2", error.Message);
    }

    private static void AssertMatchesSklearn(List<(string[] Gold, string[] Pred)> cases)
    {
        var expected = PythonReference.Run(SklearnScript, cases.Select(c => new { gold = c.Gold, pred = c.Pred }).ToArray());
        for (var c = 0; c < cases.Count; c++)
        {
            var report = ClassificationReport.Compute(cases[c].Gold, cases[c].Pred);
            var reference = expected[c];
            var labels = reference.GetProperty("labels").EnumerateArray().Select(e => e.GetString()!).ToArray();
            Assert.Equal(labels, report.Classes.Select(k => k.Label));
            Assert.Equal(labels, report.Confusion.Labels);
            for (var k = 0; k < labels.Length; k++)
            {
                Assert.Equal(Number(reference, "precision", k), report.Classes[k].Precision, Tolerance);
                Assert.Equal(Number(reference, "recall", k), report.Classes[k].Recall, Tolerance);
                Assert.Equal(Number(reference, "f1", k), report.Classes[k].F1, Tolerance);
                Assert.Equal((int)Number(reference, "support", k), report.Classes[k].Support);
                var row = reference.GetProperty("confusion")[k].EnumerateArray().Select(e => e.GetInt32()).ToArray();
                Assert.Equal(row, Enumerable.Range(0, labels.Length).Select(j => report.Confusion[k, j]));
            }

            var averages = reference.GetProperty("averages");
            AssertAverage(averages.GetProperty("macro"), report.Macro);
            AssertAverage(averages.GetProperty("micro"), report.Micro);
            AssertAverage(averages.GetProperty("weighted"), report.Weighted);
            AssertMetricsAgree(cases[c].Gold, cases[c].Pred, averages);
        }
    }

    private static void AssertMetricsAgree(string[] gold, string[] pred, JsonElement averages)
    {
        var items = gold.Zip(pred, (g, p) => MetricItem.Single(p, g)).ToArray();
        foreach (var (name, average) in new[] { ("macro_f1", "macro"), ("micro_f1", "micro"), ("weighted_f1", "weighted") })
        {
            var metric = MetricCatalog.Create(name);
            Assert.Equal(MetricShape.Corpus, metric.Shape);
            Assert.Equal(averages.GetProperty(average)[2].GetDouble(), metric.Compute(items).Value, Tolerance);
        }
    }

    private static void AssertAverage(JsonElement expected, AveragedScores actual)
    {
        Assert.Equal(expected[0].GetDouble(), actual.Precision, Tolerance);
        Assert.Equal(expected[1].GetDouble(), actual.Recall, Tolerance);
        Assert.Equal(expected[2].GetDouble(), actual.F1, Tolerance);
    }

    private static double Number(JsonElement reference, string property, int index) =>
        reference.GetProperty(property)[index].GetDouble();
}
