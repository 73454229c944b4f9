namespace AdaptLab.Metrics;

/// <summary>
/// A metric over a set of scored items. Implementations are stateless and thread-safe, so the
/// statistics layer can call <see cref="Compute"/> again on bootstrap resamples of the items.
/// </summary>
public interface IMetric
{
    /// <summary>The name used in task files and reports, e.g. <c>accuracy</c> or <c>bleu</c>.</summary>
    string Name { get; }

    /// <summary>How the value relates to per-item scores; decides which interval the statistics use.</summary>
    MetricShape Shape { get; }

    /// <summary>False for error-like metrics (TER, error rate) where lower is better.</summary>
    bool HigherIsBetter { get; }

    MetricValue Compute(IReadOnlyList<MetricItem> items);
}

/// <summary>What the model produced for one item and what was expected.</summary>
/// <param name="Prediction">The model output after any output parsing.</param>
/// <param name="References">One or more acceptable references (several for BLEU, SQuAD answers).</param>
public sealed record MetricItem(string Prediction, IReadOnlyList<string> References)
{
    /// <summary>Other fields of the dataset row a metric may need (e.g. the tests of a code task).</summary>
    public IReadOnlyDictionary<string, string> Fields { get; init; } = EmptyFields;

    /// <summary>
    /// Per-item scores frozen when the run was scored, by metric name. Metrics that execute code read
    /// them instead of running it again, so reports and comparisons cannot change a verdict.
    /// </summary>
    public IReadOnlyDictionary<string, FrozenScore> Frozen { get; init; } = NoneFrozen;

    /// <summary>What the variant's context steps put into the prompt, as stored with the prediction (JSON), or null.</summary>
    public string? Context { get; init; }

    /// <summary>The reply before output parsing (with its citation markers, which the parsed prediction drops), or null where it is the prediction.</summary>
    public string? Reply { get; init; }

    public static MetricItem Single(string prediction, string reference) => new(prediction, [reference]);

    private static readonly IReadOnlyDictionary<string, string> EmptyFields = new Dictionary<string, string>();
    private static readonly IReadOnlyDictionary<string, FrozenScore> NoneFrozen = new Dictionary<string, FrozenScore>();
}

/// <summary>A stored per-item score and the reason it is not full.</summary>
public sealed record FrozenScore(double Value, string? Reason);

/// <param name="Value">The corpus-level value (for <see cref="MetricShape.MeanOfBinary"/> a proportion in [0, 1]).</param>
/// <param name="PerItem">Per-item scores aligned with the input, or null where a metric has none (macro-F1).</param>
/// <param name="Reasons">Per-item explanation of a failure (null entries where the item passed), or null.</param>
public sealed record MetricValue(double Value, IReadOnlyList<double>? PerItem = null, IReadOnlyList<string?>? Reasons = null);

public enum MetricShape
{
    /// <summary>Mean of per-item 0/1 outcomes: Wilson interval, McNemar for pairs.</summary>
    MeanOfBinary,

    /// <summary>Mean of per-item real scores: bootstrap over per-item scores.</summary>
    MeanOfItems,

    /// <summary>Not decomposable into items (corpus BLEU, macro-F1): bootstrap recomputes the metric.</summary>
    Corpus,
}
