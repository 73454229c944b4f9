namespace AdaptLab.Metrics;

/// <summary>The kinds of value a metric option takes in the task file.</summary>
public enum MetricOptionType
{
    Boolean,
    Integer,
    Number,
    String,
}

/// <summary>One option a metric accepts: what the task file may write, its default and what it does.</summary>
/// <param name="Default">The value used when the option is absent, as the task file would write it; null when there is none.</param>
/// <param name="Choices">The values a string option allows, or null for free text.</param>
public sealed record MetricOptionSpec(
    string Name, MetricOptionType Type, string? Default, string Description, IReadOnlyList<string>? Choices = null);

/// <summary>What a run knows beyond the metric's options: the closed label set of a classification task.</summary>
public sealed record MetricContext(IReadOnlyList<string>? Labels)
{
    public static readonly MetricContext None = new(Labels: null);
}

/// <summary>A metric the task file may name, with the options it declares.</summary>
/// <param name="FullScale">The value of a perfect score on the metric's own scale: 1 for proportions and
/// F-scores, 100 for sacrebleu-style metrics. Reports put every metric on 0-100 with it.</param>
public sealed record MetricDefinition(
    string Name, string Description, IReadOnlyList<MetricOptionSpec> Options, Func<MetricOptions, MetricContext, IMetric> Factory,
    double FullScale = 1);
