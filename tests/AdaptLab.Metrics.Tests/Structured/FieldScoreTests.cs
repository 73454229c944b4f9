using System.Text.Json.Nodes;
using AdaptLab.Tests.Support;

namespace AdaptLab.Metrics.Tests.Structured;

public class FieldScoreTests
{
    /// <summary>An independent Python implementation of the field comparison the metric documents.</summary>
    private const string PythonFieldScores = """
        import json, sys

        def flatten(value, path, out):
            if isinstance(value, dict):
                for k, v in value.items():
                    flatten(v, f"{path}.{k}" if path else k, out)
            elif isinstance(value, list):
                for i, v in enumerate(value):
                    flatten(v, f"{path}[{i}]", out)
            elif value is not None:
                out[path] = value.strip() if isinstance(value, str) else json.dumps(value)
            return out

        def ratio(num, den, other_errors):
            return num / den if den else (1.0 if other_errors == 0 else 0.0)

        def measures(tp, fp, fn):
            return [ratio(tp, tp + fp, fn), ratio(tp, tp + fn, fp), ratio(2 * tp, 2 * tp + fp + fn, 0)]

        totals, per_item = [0, 0, 0], []
        for expected_text, predicted_text in json.load(sys.stdin):
            expected = flatten(json.loads(expected_text), "", {})
            try:
                parsed = json.loads(predicted_text)
                predicted = flatten(parsed, "", {}) if isinstance(parsed, dict) else {}
            except ValueError:
                predicted = {}
            tp = sum(1 for k, v in expected.items() if predicted.get(k) == v)
            counts = [tp, len(predicted) - tp, len(expected) - tp]
            totals = [a + b for a, b in zip(totals, counts)]
            per_item.append(measures(*counts))
        print(json.dumps({"corpus": measures(*totals), "per_item": per_item}))
        """;

    [Fact]
    public void Micro_averages_restaurant8k_slots_as_the_python_reference_does()
    {
        var rows = Restaurant8k.Test();
        Assert.Equal(3731, rows.Count);
        var rng = new Random(8);
        var items = rows.Take(600).Select(row =>
        {
            var expected = row.Slots.ToJsonString();
            return MetricItem.Single(Perturb(row.Slots, row.Text, rng), expected);
        }).ToArray();

        var reference = PythonReference.Run(PythonFieldScores, items.Select(i => new[] { i.References[0], i.Prediction }).ToArray());

        foreach (var (name, column) in new[] { ("field_precision", 0), ("field_recall", 1), ("field_f1", 2) })
        {
            var value = MetricCatalog.Create(name).Compute(items);
            Assert.Equal(reference.GetProperty("corpus")[column].GetDouble(), value.Value, 1e-12);
            var perItem = reference.GetProperty("per_item").EnumerateArray().Select(e => e[column].GetDouble()).ToArray();
            Assert.Equal(perItem.Length, value.PerItem!.Count);
            for (var i = 0; i < perItem.Length; i++)
            {
                Assert.Equal(perItem[i], value.PerItem[i], 1e-12);
            }
        }
    }

    [Fact]
    public void Explains_every_failure_of_an_item()
    {
        var metric = MetricCatalog.Create("field_f1");
        var value = metric.Compute([
            MetricItem.Single("""{"people": "5", "date": "friday"}""", """{"people": "4", "time": "7pm"}"""),
            MetricItem.Single("""{"people": "4"}}""", """{"people": "4"}"""),
            MetricItem.Single("""["4"]""", """{"people": "4"}"""),
            MetricItem.Single("""{"people": " 4 ", "time": null}""", """{"people": "4"}"""),
            MetricItem.Single("{}", "{}"),
        ]);

        Assert.Equal("field 'people': expected \"4\", got \"5\"; missing field 'time'; unexpected field 'date'", value.Reasons![0]);
        Assert.Equal("not JSON: '}' is invalid after a single JSON value. Expected end of data at line 1, position 16; missing field 'people'", value.Reasons[1]);
        Assert.Equal("expected a JSON object, got array; missing field 'people'", value.Reasons[2]);
        Assert.Null(value.Reasons[3]);
        Assert.Null(value.Reasons[4]);
        Assert.Equal([0, 0, 0, 1, 1], value.PerItem!);

        // Pooled: tp = 1 (item 4), fp = 2 (item 1), fn = 2 + 1 + 1 (items 1-3).
        Assert.Equal(2.0 / (2 + 2 + 4), value.Value, 1e-15);
    }

    [Fact]
    public void Nested_objects_and_arrays_compare_by_path()
    {
        var value = MetricCatalog.Create("field_recall", Options(("ignore_case", "true"))).Compute([
            MetricItem.Single("""{"a": {"b": "X"}, "list": [1, 3]}""", """{"list": [1, 2], "a": {"b": "x"}}"""),
        ]);

        Assert.Equal(2.0 / 3, value.Value, 1e-15);
        Assert.Equal("field 'list[1]': expected \"2\", got \"3\"", value.Reasons![0]);
    }

    [Fact]
    public void Fenced_output_scores_only_when_allowed()
    {
        var item = MetricItem.Single("Here it is:\n```json\n{\"time\": \"7pm\"}\n```", """{"time": "7pm"}""");

        var strict = MetricCatalog.Create("field_f1").Compute([item]);
        var lenient = MetricCatalog.Create("field_f1", Options(("allow_fence", "true"))).Compute([item]);

        Assert.Equal(0, strict.Value);
        Assert.Contains("set allow_fence: true", strict.Reasons![0]);
        Assert.Equal(1, lenient.Value);
    }

    [Fact]
    public void Rejects_expected_outputs_that_are_not_json_objects()
    {
        var metric = MetricCatalog.Create("field_f1");

        Assert.Contains("expected output of item 0 is not JSON",
            Assert.Throws<FormatException>(() => metric.Compute([MetricItem.Single("{}", "{oops")])).Message);
        Assert.Contains("item 0 is a JSON array",
            Assert.Throws<FormatException>(() => metric.Compute([MetricItem.Single("{}", "[]")])).Message);
        Assert.Contains("item 0 has 2",
            Assert.Throws<ArgumentException>(() => metric.Compute([new MetricItem("{}", ["{}", "{}"])])).Message);
    }

    internal static MetricOptions Options(params (string Key, string Value)[] values) =>
        new(values.ToDictionary(v => v.Key, v => v.Value));

    /// <summary>A model's plausible mistakes on one utterance, each one at a fixed rate.</summary>
    private static string Perturb(JsonObject slots, string text, Random rng)
    {
        var predicted = (JsonObject)slots.DeepClone();
        var roll = rng.NextDouble();
        switch (roll)
        {
            case < 0.55:
                break;
            case < 0.65 when predicted.Count > 0:
                predicted.Remove(predicted.First().Key);
                break;
            case < 0.75 when predicted.Count > 0:
                predicted[predicted.First().Key] = "5";
                break;
            case < 0.82:
                predicted["date"] = text.Length > 6 ? text[..6] : text;
                break;
            case < 0.87:
                predicted["time"] = null;
                break;
            case < 0.92:
                return predicted.ToJsonString()[..^1];
            case < 0.95:
                return "[" + predicted.ToJsonString() + "]";
            default:
                predicted["people"] = 4;
                break;
        }

        return predicted.ToJsonString();
    }
}
