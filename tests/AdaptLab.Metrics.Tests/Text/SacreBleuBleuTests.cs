using System.Globalization;
using System.Text.Json;
using AdaptLab.Metrics.Text;

namespace AdaptLab.Metrics.Tests.Text;

/// <summary>Every case of sacrebleu 2.6.0's BLEU tests (sacrebleu_bleu.json), to its stated tolerance.</summary>
public class SacreBleuBleuTests
{
    private const string File = "sacrebleu_bleu.json";

    public static TheoryData<string, int> Cases => MetricVectors.GroupCases(File);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_sacrebleu(string group, int index)
    {
        var c = MetricVectors.Case(File, group, index);
        switch (group)
        {
            case "corpus_bleu":
                AssertClose(c.GetProperty("expected_score_0_100").GetDouble(), Corpus(c, c.GetProperty("settings")), 1e-8);
                break;
            case "raw_corpus_bleu":
                AssertClose(c.GetProperty("expected_score_0_1").GetDouble(), Corpus(c, c.GetProperty("settings")) / 100, 1e-8);
                break;
            case "raw_corpus_bleu_statistics":
                var row = Metric(c.GetProperty("settings")).ItemStatistics(MetricVectors.FromStreams(c.GetProperty("hypotheses"), c.GetProperty("references")))[0];
                Assert.Equal(Ints(c.GetProperty("expected_counts_matching_ngrams_1to4")), row[2..6].Select(v => (int)v));
                Assert.Equal(Ints(c.GetProperty("expected_totals_hyp_ngrams_1to4")), row[6..10].Select(v => (int)v));
                break;
            case "offset (floor smoothing value)":
                var items = MetricVectors.FromStreams(c.GetProperty("hypotheses"), c.GetProperty("references"));
                var raw = new BleuOptions(BleuTokenizer.None, BleuSmoothing.Floor, EffectiveOrder: true);
                AssertClose(c.GetProperty("expected_with_offset_0_1_floor_0.1").GetDouble(), new BleuMetric(raw).Compute(items).Value / 100, 1e-8);
                AssertClose(c.GetProperty("expected_without_offset_0_1_floor_0.0").GetDouble(), new BleuMetric(raw with { SmoothValue = 0 }).Compute(items).Value / 100, 1e-8);
                break;
            case "compute_bleu_from_statistics":
                AssertClose(c.GetProperty("expected_score_0_1").GetDouble(), FromStatistics(c, BleuSmoothing.None, null) / 100, 1e-8);
                break;
            case "degenerate_statistics":
                Assert.Equal(c.GetProperty("expected_score_0_1").GetDouble(), FromStatistics(c, BleuSmoothing.Floor, c.GetProperty("floor_smooth_value").GetDouble()) / 100);
                break;
            case "max_ngram_order":
                var options = new BleuOptions(MaxNgramOrder: c.GetProperty("max_ngram_order").GetInt32());
                var score = new BleuMetric(options).Compute(MetricVectors.FromStreams(c.GetProperty("hypotheses"), c.GetProperty("references"))).Value;
                Assert.Equal(c.GetProperty("expected_score_0_100_str").GetString(), score.ToString("F2", CultureInfo.InvariantCulture));
                break;
            case "sentence_bleu":
                var s = c.GetProperty("settings");
                var sentence = new BleuMetric(Options(s) with { EffectiveOrder = true });
                var item = new MetricItem(c.GetProperty("hypothesis").GetString()!, MetricVectors.Strings(c.GetProperty("references")));
                AssertClose(c.GetProperty("expected_score_0_100").GetDouble(), sentence.Compute([item]).PerItem![0], 1e-3);
                break;
            default:
                throw new InvalidOperationException($"no check written for group '{group}'");
        }
    }

    [Fact]
    public void Sentence_scores_and_corpus_statistics_agree()
    {
        var metric = new BleuMetric(new BleuOptions());
        var items = new[]
        {
            new MetricItem("The dog bit the man.", ["The dog bit the man.", "The dog had bit the man."]),
            new MetricItem("It wasn't surprising.", ["It was not unexpected.", "No one was surprised."]),
        };

        var value = metric.Compute(items);
        var rows = metric.ItemStatistics(items);

        Assert.Equal(100.0, value.PerItem![0], 9);
        Assert.Equal(value.Value, metric.ValueFromTotals(rows.Aggregate(new double[rows[0].Length], (t, r) => t.Zip(r, (a, b) => a + b).ToArray())));
    }

    [Fact]
    public void Items_without_references_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new BleuMetric(new BleuOptions()).Compute([new MetricItem("x", [])]));
        Assert.Contains("item 0", error.Message);
    }

    private static double Corpus(JsonElement c, JsonElement settings) =>
        Metric(settings).Compute(MetricVectors.FromStreams(c.GetProperty("hypotheses"), c.GetProperty("references"))).Value;

    private static BleuMetric Metric(JsonElement settings) => new(Options(settings));

    private static BleuOptions Options(JsonElement s) => new(
        BleuOptions.ParseTokenizer(s.GetProperty("tokenize").GetString()!),
        BleuOptions.ParseSmoothing(s.GetProperty("smooth_method").GetString()!),
        MetricVectors.OptionalDouble(s, "smooth_value"),
        MetricVectors.OptionalBool(s, "lowercase", false),
        MetricVectors.OptionalBool(s, "use_effective_order", MetricVectors.OptionalBool(s, "effective_order", false)),
        (int)(MetricVectors.OptionalDouble(s, "max_ngram_order") ?? 4));

    private static double FromStatistics(JsonElement c, BleuSmoothing smooth, double? value) => BleuScore.Compute(
        Ints(c.GetProperty("correct")).Select(v => (double)v).ToArray(),
        Ints(c.GetProperty("total")).Select(v => (double)v).ToArray(),
        c.GetProperty("sys_len").GetDouble(),
        c.GetProperty("ref_len").GetDouble(),
        smooth,
        value);

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    private static void AssertClose(double expected, double actual, double tolerance) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected:R}, got {actual:R} (tolerance {tolerance})");
}
