using AdaptLab.Metrics.Text;
using AdaptLab.Tests.Support;

namespace AdaptLab.Metrics.Tests.Text;

/// <summary>
/// CodeXGLUE code-to-text's evaluator example (codexglue/ files): corpus 9.554726113590661 and the
/// per-sentence values recorded in codexglue_smoothed_bleu.json.
/// </summary>
public class CodeXGlueBleuTests
{
    private const string File = "codexglue_smoothed_bleu.json";

    [Fact]
    public void Evaluator_example_gives_its_published_score()
    {
        var items = EvaluatorItems();

        var value = MetricCatalog.Create("codexglue_bleu").Compute(items);

        Assert.Equal(5, items.Count);
        Assert.Equal(MetricVectors.File(File).GetProperty("expected_corpus_score_0_100").GetDouble(), value.Value, 12);
        var sentences = MetricVectors.File(File).GetProperty("per_sentence").EnumerateArray().ToList();
        for (var i = 0; i < sentences.Count; i++)
        {
            Assert.Equal(sentences[i].GetProperty("sentence_smoothed_bleu4_0_100").GetDouble(), value.PerItem![i], 12);
        }
    }

    [Fact]
    public void Split_puncts_matches_the_recorded_preprocessing()
    {
        foreach (var s in MetricVectors.File(File).GetProperty("per_sentence").EnumerateArray())
        {
            Assert.Equal(s.GetProperty("prediction_after_splitPuncts_lower").GetString(), CodeXGlueBleuMetric.SplitPuncts(s.GetProperty("prediction_raw").GetString()!));
            Assert.Equal(s.GetProperty("reference_after_splitPuncts_lower").GetString(), CodeXGlueBleuMetric.SplitPuncts(s.GetProperty("reference_raw").GetString()!));
        }
    }

    [Fact]
    public void Identical_texts_score_100_and_unigram_misses_score_near_0()
    {
        var metric = new CodeXGlueBleuMetric();
        Assert.Equal(100.0, metric.Compute([MetricItem.Single("Returns the sum.", "returns the sum .")]).Value, 10);
        Assert.True(metric.Compute([MetricItem.Single("alpha beta", "gamma delta")]).Value < 1e-10);
    }

    // The evaluator's computeMaps: "id<TAB>text" lines; a gold line joins the item of its id.
    private static List<MetricItem> EvaluatorItems()
    {
        var predictions = new Dictionary<string, string>();
        foreach (var row in System.IO.File.ReadAllLines(SharedData.Path("datasets", "metric-vectors", "codexglue", "predictions.txt")))
        {
            var cols = row.Trim().Split('\t');
            predictions[cols[0]] = cols.Length == 1 ? "" : cols[1];
        }

        var gold = new Dictionary<string, List<string>>();
        foreach (var row in System.IO.File.ReadAllLines(SharedData.Path("datasets", "metric-vectors", "codexglue", "reference.txt")))
        {
            var cols = row.Split('\t');
            if (predictions.ContainsKey(cols[0]))
            {
                (gold.TryGetValue(cols[0], out var refs) ? refs : gold[cols[0]] = []).Add(cols[1]);
            }
        }

        return gold.Select(g => new MetricItem(predictions[g.Key], g.Value)).ToList();
    }
}
