using AdaptLab.Metrics.Classification;
using AdaptLab.Metrics.Code;
using AdaptLab.Metrics.Structured;
using AdaptLab.Metrics.Text;

namespace AdaptLab.Metrics;

/// <summary>
/// Maps the metric names a task file may use to their implementations. Options come from the task
/// file as strings (e.g. <c>tokenize: 13a</c>); each factory validates its own.
/// </summary>
public static class MetricCatalog
{
    private static readonly Dictionary<string, Func<MetricOptions, IMetric>> Factories = new(StringComparer.Ordinal)
    {
        ["accuracy"] = _ => new ExactMatch("accuracy", TextNormalization.Strict),
        ["exact_match"] = o => new ExactMatch("exact_match", new TextNormalization(
            Trim: true,
            IgnoreCase: o.GetBool("ignore_case", true),
            CollapseWhitespace: o.GetBool("collapse_whitespace", true),
            StripPunctuation: o.GetBool("strip_punctuation", false))),
        ["macro_f1"] = _ => new AveragedF1(F1Average.Macro),
        ["micro_f1"] = _ => new AveragedF1(F1Average.Micro),
        ["weighted_f1"] = _ => new AveragedF1(F1Average.Weighted),
        ["json_valid"] = o => new JsonValid(JsonOutputOptions.From(o)),
        ["json_schema"] = o => JsonSchemaValid.FromOptions(o),
        ["field_f1"] = o => FieldScore.FromOptions(FieldMeasure.F1, o),
        ["field_precision"] = o => FieldScore.FromOptions(FieldMeasure.Precision, o),
        ["field_recall"] = o => FieldScore.FromOptions(FieldMeasure.Recall, o),
        ["pass_at_1"] = o => PassAtKTaskOptions.Create("pass_at_1", 1, o),
        ["pass_at_k"] = o => PassAtKTaskOptions.Create("pass_at_k", null, o),
        ["bleu"] = TextMetricFactories.Bleu,
        ["chrf"] = o => TextMetricFactories.Chrf(o, "chrf", defaultWordOrder: 0),
        ["chrf_pp"] = o => TextMetricFactories.Chrf(o, "chrf_pp", defaultWordOrder: 2),
        ["ter"] = TextMetricFactories.Ter,
        ["rouge1"] = o => TextMetricFactories.Rouge(o, "rouge1"),
        ["rouge2"] = o => TextMetricFactories.Rouge(o, "rouge2"),
        ["rougeL"] = o => TextMetricFactories.Rouge(o, "rougeL"),
        ["rougeLsum"] = o => TextMetricFactories.Rouge(o, "rougeLsum"),
        ["codexglue_bleu"] = o => TextMetricFactories.WithoutOptions(o, "codexglue_bleu", new CodeXGlueBleuMetric()),
        ["squad_em"] = o => TextMetricFactories.WithoutOptions(o, "squad_em", new SquadMetric(SquadMeasure.ExactMatch)),
        ["squad_f1"] = o => TextMetricFactories.WithoutOptions(o, "squad_f1", new SquadMetric(SquadMeasure.F1)),
    };

    public static IReadOnlyCollection<string> Names => Factories.Keys;

    public static bool IsKnown(string name) => Factories.ContainsKey(name);

    /// <exception cref="ArgumentException">The name is unknown or an option is invalid.</exception>
    public static IMetric Create(string name, MetricOptions? options = null)
    {
        if (!Factories.TryGetValue(name, out var factory))
        {
            throw new ArgumentException(
                $"unknown metric '{name}'; known metrics: {string.Join(", ", Factories.Keys.Order(StringComparer.Ordinal))}");
        }

        return factory(options ?? MetricOptions.None);
    }
}
