using AdaptLab.Metrics.Classification;
using AdaptLab.Tests.Support;

namespace AdaptLab.Metrics.Tests.Classification;

/// <summary>F1 over a task's closed label set, against scikit-learn's <c>labels=</c> argument.</summary>
public class LabelSetF1Tests
{
    private const string SklearnScript = """
        import json, sys
        from sklearn.metrics import confusion_matrix, precision_recall_fscore_support
        out = []
        for case in json.load(sys.stdin):
            gold, pred, labels = case["gold"], case["pred"], case["labels"]
            p, r, f, s = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
            averages = {a: list(precision_recall_fscore_support(gold, pred, labels=labels, average=a, zero_division=0)[:3])
                        for a in ["macro", "micro", "weighted"]}
            out.append({"f1": f.tolist(), "support": s.tolist(), "averages": averages,
                        "confusion": confusion_matrix(gold, pred, labels=labels).tolist()})
        print(json.dumps(out))
        """;

    [Fact]
    public void Unparsable_replies_are_misses_not_classes_as_sklearn_labels_does()
    {
        var rng = new Random(11);
        var cases = new List<(string[] Gold, string[] Pred, string[] Labels)>();
        foreach (var (n, classes) in new[] { (30, 4), (300, 20), (151, 77) })
        {
            // Every label is declared, some never occur in gold; a fifth of the replies name no label,
            // each in its own words, as a chat model's unparsed answers do.
            var labels = Enumerable.Range(0, classes).Select(c => $"l{c:D2}").ToArray();
            var gold = Enumerable.Range(0, n).Select(_ => labels[rng.Next(classes - 1)]).ToArray();
            var pred = gold.Select((g, i) => rng.NextDouble() switch
            {
                < 0.6 => g,
                < 0.8 => labels[rng.Next(classes)],
                _ => $"I think it is about {i}",
            }).ToArray();
            cases.Add((gold, pred, labels));
        }

        var expected = PythonReference.Run(SklearnScript, cases.Select(c => new { gold = c.Gold, pred = c.Pred, labels = c.Labels }).ToArray());
        for (var c = 0; c < cases.Count; c++)
        {
            var (gold, pred, labels) = cases[c];
            var report = ClassificationReport.Compute(gold, pred, labels);
            var reference = expected[c];
            Assert.Equal(labels, report.Classes.Select(k => k.Label));
            for (var k = 0; k < labels.Length; k++)
            {
                Assert.Equal(reference.GetProperty("f1")[k].GetDouble(), report.Classes[k].F1, 12);
                Assert.Equal(reference.GetProperty("support")[k].GetInt32(), report.Classes[k].Support);
                var row = reference.GetProperty("confusion")[k].EnumerateArray().Select(e => e.GetInt32());
                Assert.Equal(row, Enumerable.Range(0, labels.Length).Select(j => report.Confusion[k, j]));
            }

            Assert.Equal(pred.Count(p => !labels.Contains(p)), report.Confusion.TotalInvalid);
            var items = gold.Zip(pred, (g, p) => MetricItem.Single(p, g)).ToArray();
            var all = Enumerable.Range(0, items.Length).ToArray();
            foreach (var (name, average) in new[] { ("macro_f1", "macro"), ("micro_f1", "micro"), ("weighted_f1", "weighted") })
            {
                var expectedF1 = reference.GetProperty("averages").GetProperty(average)[2].GetDouble();
                var metric = (IResamplableMetric)MetricCatalog.Create(name, context: new MetricContext(labels));
                Assert.Equal(expectedF1, metric.Compute(items).Value, 12);

                // The bootstrap recomputes the same statistic: on the identity resample it is the estimate.
                Assert.Equal(expectedF1, metric.Resampler(items)(all), 12);
            }
        }
    }

    [Fact]
    public void Without_the_label_set_each_distinct_unparsable_reply_would_be_a_class()
    {
        // The positive control of the test above: the old reading deflates macro-F1.
        string[] labels = ["a", "b"];
        var items = new[] { MetricItem.Single("a", "a"), MetricItem.Single("b", "b"), MetricItem.Single("no idea", "a"), MetricItem.Single("hmm", "b") };

        var closed = MetricCatalog.Create("macro_f1", context: new MetricContext(labels)).Compute(items).Value;
        var open = MetricCatalog.Create("macro_f1").Compute(items).Value;

        Assert.Equal(2.0 / 3, closed, 12);
        Assert.Equal(2.0 / 3 * 2 / 4, open, 12);
    }
}
