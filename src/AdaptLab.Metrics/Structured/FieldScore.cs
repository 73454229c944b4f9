using System.Text.Json;

namespace AdaptLab.Metrics.Structured;

public enum FieldMeasure
{
    Precision,
    Recall,
    F1,
}

/// <summary>
/// <c>field_precision</c>, <c>field_recall</c> and <c>field_f1</c>: the predicted JSON object against
/// the expected one (the item's single reference), field by field after flattening to path = value
/// pairs. A field is a true positive when the path exists on both sides with equal values; a wrong
/// value counts once as a false positive and once as a false negative. The corpus value is
/// micro-averaged (counts pooled over items); <see cref="MetricValue.PerItem"/> holds the same
/// measure on each item alone. A ratio whose denominator is 0 is 1 when there is no error at all
/// (e.g. nothing expected and nothing predicted) and 0 otherwise. Output that is not JSON predicts
/// no fields.
/// </summary>
public sealed class FieldScore(FieldMeasure measure, JsonOutputOptions options, bool ignoreCase) : IMetric
{
    private const int MaxValueLength = 60;

    public string Name { get; } = measure switch
    {
        FieldMeasure.Precision => "field_precision",
        FieldMeasure.Recall => "field_recall",
        FieldMeasure.F1 => "field_f1",
        _ => throw new ArgumentOutOfRangeException(nameof(measure)),
    };

    public MetricShape Shape => MetricShape.Corpus;

    public bool HigherIsBetter => true;

    /// <summary>Options: <c>allow_fence</c> and <c>ignore_case</c> (compare values case-insensitively; default false).</summary>
    public static FieldScore FromOptions(FieldMeasure measure, MetricOptions options) =>
        new(measure, JsonOutputOptions.From(options), options.GetBool("ignore_case", false));

    /// <exception cref="ArgumentException">An item has other than one reference.</exception>
    /// <exception cref="FormatException">An expected reference is not a JSON object.</exception>
    public MetricValue Compute(IReadOnlyList<MetricItem> items)
    {
        var perItem = new double[items.Count];
        var reasons = new string?[items.Count];
        var total = new FieldCounts(0, 0, 0);
        for (var i = 0; i < items.Count; i++)
        {
            var (counts, problems) = Score(items[i], i);
            total += counts;
            perItem[i] = counts.Measure(measure);
            reasons[i] = problems.Count == 0 ? null : string.Join("; ", problems);
        }

        return new MetricValue(items.Count == 0 ? double.NaN : total.Measure(measure), perItem, reasons);
    }

    private (FieldCounts Counts, List<string> Problems) Score(MetricItem item, int index)
    {
        var expected = ExpectedFields(item, index);
        var problems = new List<string>();
        Dictionary<string, string> predicted;
        if (!JsonOutput.TryParse(item.Prediction, options, out var output, out var parseError))
        {
            problems.Add(parseError!);
            predicted = [];
        }
        else if (output.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"expected a JSON object, got {output.ValueKind.ToString().ToLowerInvariant()}");
            predicted = [];
        }
        else
        {
            predicted = JsonFields.Flatten(output, ignoreCase);
        }

        var truePositives = 0;
        foreach (var (path, value) in expected)
        {
            if (!predicted.TryGetValue(path, out var got))
            {
                problems.Add($"missing field '{path}'");
            }
            else if (got == value)
            {
                truePositives++;
            }
            else
            {
                problems.Add($"field '{path}': expected \"{Truncate(value)}\", got \"{Truncate(got)}\"");
            }
        }

        problems.AddRange(predicted.Keys.Where(p => !expected.ContainsKey(p)).Select(p => $"unexpected field '{p}'"));
        var counts = new FieldCounts(truePositives, predicted.Count - truePositives, expected.Count - truePositives);
        return (counts, problems);
    }

    private Dictionary<string, string> ExpectedFields(MetricItem item, int index)
    {
        if (item.References.Count != 1)
        {
            throw new ArgumentException($"{Name} needs exactly one expected JSON object per item; item {index} has {item.References.Count}");
        }

        if (!JsonOutput.TryParse(item.References[0], new JsonOutputOptions(), out var expected, out var error))
        {
            throw new FormatException($"{Name}: the expected output of item {index} is {error}");
        }

        return expected.ValueKind == JsonValueKind.Object
            ? JsonFields.Flatten(expected, ignoreCase)
            : throw new FormatException($"{Name}: the expected output of item {index} is a JSON {expected.ValueKind.ToString().ToLowerInvariant()}, not an object");
    }

    private static string Truncate(string s) => s.Length <= MaxValueLength ? s : s[..(MaxValueLength - 3)] + "...";

    private readonly record struct FieldCounts(long TruePositives, long FalsePositives, long FalseNegatives)
    {
        public static FieldCounts operator +(FieldCounts a, FieldCounts b) => new(
            a.TruePositives + b.TruePositives, a.FalsePositives + b.FalsePositives, a.FalseNegatives + b.FalseNegatives);

        public double Measure(FieldMeasure measure) => measure switch
        {
            FieldMeasure.Precision => Ratio(TruePositives, TruePositives + FalsePositives, FalseNegatives),
            FieldMeasure.Recall => Ratio(TruePositives, TruePositives + FalseNegatives, FalsePositives),
            _ => Ratio(2 * TruePositives, (2 * TruePositives) + FalsePositives + FalseNegatives, 0),
        };

        private static double Ratio(long numerator, long denominator, long otherErrors) =>
            denominator > 0 ? (double)numerator / denominator : otherErrors == 0 ? 1 : 0;
    }
}
