using System.Text.Json;
using AdaptLab.Metrics.Text;
using AdaptLab.Tests.Support;

namespace AdaptLab.Metrics.Tests.Text;

/// <summary>SQuAD EM and F1 against the official SQuAD 2.0 evaluation functions, run in Python.</summary>
public class SquadMetricTests
{
    // The official evaluate-v2.0.py functions, applied per item as its get_raw_scores does.
    private const string Official = """
        import collections, json, re, string, sys
        def normalize_answer(s):
          def remove_articles(text):
            regex = re.compile(r'\b(a|an|the)\b', re.UNICODE)
            return re.sub(regex, ' ', text)
          def white_space_fix(text):
            return ' '.join(text.split())
          def remove_punc(text):
            exclude = set(string.punctuation)
            return ''.join(ch for ch in text if ch not in exclude)
          def lower(text):
            return text.lower()
          return white_space_fix(remove_articles(remove_punc(lower(s))))
        def get_tokens(s):
          if not s: return []
          return normalize_answer(s).split()
        def compute_exact(a_gold, a_pred):
          return int(normalize_answer(a_gold) == normalize_answer(a_pred))
        def compute_f1(a_gold, a_pred):
          gold_toks = get_tokens(a_gold)
          pred_toks = get_tokens(a_pred)
          common = collections.Counter(gold_toks) & collections.Counter(pred_toks)
          num_same = sum(common.values())
          if len(gold_toks) == 0 or len(pred_toks) == 0:
            return int(gold_toks == pred_toks)
          if num_same == 0:
            return 0
          precision = 1.0 * num_same / len(pred_toks)
          recall = 1.0 * num_same / len(gold_toks)
          return (2 * precision * recall) / (precision + recall)
        out = []
        for item in json.load(sys.stdin):
          golds = [a for a in item['answers'] if normalize_answer(a)] or ['']
          out.append([max(compute_exact(a, item['prediction']) for a in golds),
                      max(compute_f1(a, item['prediction']) for a in golds)])
        print(json.dumps(out))
        """;

    [Fact]
    public void Handcrafted_and_real_items_match_the_official_script()
    {
        var items = Handcrafted().Concat(FromSquadDev(400)).ToList();
        var expected = PythonReference.Run(Official, items.Select(i => new { prediction = i.Prediction, answers = i.References }).ToList())
            .EnumerateArray().Select(r => (Em: r[0].GetDouble(), F1: r[1].GetDouble())).ToList();

        var em = MetricCatalog.Create("squad_em").Compute(items);
        var f1 = MetricCatalog.Create("squad_f1").Compute(items);

        for (var i = 0; i < items.Count; i++)
        {
            Assert.True(expected[i].Em == em.PerItem![i], $"EM of item {i} ({items[i].Prediction}): {em.PerItem[i]} vs {expected[i].Em}");
            Assert.True(Math.Abs(expected[i].F1 - f1.PerItem![i]) < 1e-12, $"F1 of item {i} ({items[i].Prediction}): {f1.PerItem[i]} vs {expected[i].F1}");
        }

        Assert.Equal(expected.Average(e => e.F1), f1.Value, 12);
        Assert.Contains(expected, e => e.F1 is > 0 and < 1);
    }

    [Fact]
    public void Unanswerable_items_expect_an_empty_prediction()
    {
        var f1 = new SquadMetric(SquadMeasure.F1);
        Assert.Equal(1.0, f1.Compute([new MetricItem("", [])]).Value);
        Assert.Equal(0.0, f1.Compute([new MetricItem("Denver", [])]).Value);
        Assert.Equal(1.0, new SquadMetric(SquadMeasure.ExactMatch).Compute([new MetricItem("The.", ["", "a"])]).Value);
    }

    [Fact]
    public void Shapes_and_scale_follow_the_measure()
    {
        Assert.Equal(MetricShape.MeanOfBinary, MetricCatalog.Create("squad_em").Shape);
        Assert.Equal(MetricShape.MeanOfItems, MetricCatalog.Create("squad_f1").Shape);
        Assert.Equal(0.5, new SquadMetric(SquadMeasure.F1).Compute([MetricItem.Single("Denver Broncos", "the Broncos won")]).Value, 12);
    }

    private static IEnumerable<MetricItem> Handcrafted() =>
    [
        MetricItem.Single("The Eiffel Tower!", "eiffel tower"),
        MetricItem.Single("an apple a day", "apple day"),
        MetricItem.Single("Théâtre the Théâtre", "théâtre"),
        MetricItem.Single("theater", "the ater"),
        MetricItem.Single("  1,000   people ", "1000 people"),
        MetricItem.Single("ΟΔΟΣ", "οδος"),
        MetricItem.Single("a", "an"),
        MetricItem.Single("Denver Broncos Broncos", "Broncos"),
        new MetricItem("Paris", ["London", "paris, france", "Paris"]),
        new MetricItem("", ["", "   "]),
        new MetricItem("something", ["the", "a"]),
    ];

    // Real dev questions with predictions built from their own context: the first answer, a
    // window that overlaps it, another question's answer, or nothing for unanswerable ones.
    private static IEnumerable<MetricItem> FromSquadDev(int count)
    {
        using var squad = JsonDocument.Parse(System.IO.File.ReadAllText(SharedData.Path("datasets", "squad", "dev-v2.0.json")));
        var items = new List<MetricItem>();
        var previousAnswer = "";
        foreach (var paragraph in squad.RootElement.GetProperty("data").EnumerateArray().SelectMany(a => a.GetProperty("paragraphs").EnumerateArray()))
        {
            var context = paragraph.GetProperty("context").GetString()!;
            foreach (var qa in paragraph.GetProperty("qas").EnumerateArray())
            {
                var answers = qa.GetProperty("answers").EnumerateArray().ToList();
                var texts = answers.Select(a => a.GetProperty("text").GetString()!).ToList();
                string prediction;
                if (texts.Count == 0)
                {
                    prediction = items.Count % 2 == 0 ? "" : previousAnswer;
                }
                else
                {
                    var start = answers[0].GetProperty("answer_start").GetInt32();
                    prediction = (items.Count % 4) switch
                    {
                        0 => texts[0],
                        1 => context.Substring(Math.Max(0, start - 12), Math.Min(context.Length - Math.Max(0, start - 12), texts[0].Length + 6)),
                        2 => previousAnswer,
                        _ => texts[0].ToUpperInvariant() + ".",
                    };
                    previousAnswer = texts[0];
                }

                items.Add(new MetricItem(prediction, texts));
                if (items.Count == count)
                {
                    return items;
                }
            }
        }

        return items;
    }
}
