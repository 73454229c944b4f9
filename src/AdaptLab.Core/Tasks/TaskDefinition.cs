using AdaptLab.Metrics;

namespace AdaptLab.Core.Tasks;

/// <summary>A task file after validation, with every path made absolute and variant defaults applied.</summary>
internal sealed record TaskDefinition(
    string Name,
    string? Description,
    TaskKind Kind,
    DataSpec Data,
    IReadOnlyList<string>? Labels,
    IReadOnlyList<MetricSpec> Metrics,
    TargetSpec Targets,
    IReadOnlyDictionary<string, ModelSpec> Models,
    IReadOnlyList<VariantSpec> Variants,
    int Concurrency,
    string SourcePath)
{
    /// <summary>The documents the variants' retrieve steps search, or null.</summary>
    public CorpusSpec? Corpus { get; init; }

    /// <summary>How <c>adaptlab run</c> climbs the ladder (defaults when the task file has no <c>ladder</c> section).</summary>
    public LadderSpec Ladder { get; init; } = LadderSpec.Default;

    /// <summary>The LLM-as-judge metrics <c>adaptlab judge</c> computes over a run.</summary>
    public IReadOnlyList<JudgeSpec> Judges { get; init; } = [];

    /// <summary>The variant a command names.</summary>
    /// <exception cref="InputException">There is none of that name; the message lists the task's variants.</exception>
    public VariantSpec Variant(string name) => Variants.FirstOrDefault(v => v.Name == name)
        ?? throw new InputException(SourcePath, null, "variants", $"no variant '{name}' (variants: {string.Join(", ", Variants.Select(v => v.Name))})");
}

/// <param name="IndexPath">The SQLite file of the built-in index.</param>
internal sealed record CorpusSpec(AdaptLab.Retrieval.Ingest.CorpusSource Source, string IndexPath);

/// <summary>Chunks from the task's corpus for each item.</summary>
/// <param name="Query">The item field to search with; the input when null.</param>
internal sealed record RetrieveSpec(AdaptLab.Retrieval.Search.RetrieveOptions Options, string? Query);

internal enum TaskKind
{
    Classification,
    Extraction,
    Generation,
    Qa,
    Code,
    ToolCall,
}

internal sealed record DataSpec(
    string Test,
    string? Train,
    string? Dev,
    DataFormat? Format,
    string? Records,
    FieldMapping Fields,
    SampleSpec? Sample,
    IReadOnlyDictionary<string, int>? Truncate = null,
    string? Answers = null);

internal enum DataFormat
{
    Jsonl,
    Csv,
    Json,
}

/// <param name="Expected">Path of the expected output, or null when <paramref name="ExpectedSpans"/> builds it, or (tool-call tasks) when no call is expected.</param>
/// <param name="System">Path of an item's own system turn (a conversation's opening system message), sent after the variant's system text; an item without one has none.</param>
internal sealed record FieldMapping(
    string? Id,
    string Input,
    string? Expected,
    SpanSlotsMapping? ExpectedSpans,
    IReadOnlyDictionary<string, string> Extra,
    string? System = null)
{
    /// <summary>The field an item's own system turn is kept under, with the other fields of the item.</summary>
    public const string SystemField = "system";
}

/// <summary>Span annotations over a text, turned into a JSON object {slot: value}.</summary>
internal sealed record SpanSlotsMapping(string Spans, string Text);

internal sealed record SampleSpec(int Size, int Seed, bool? Stratify);

internal sealed record MetricSpec(string Name, MetricOptions Options)
{
    /// <summary>The name scores, targets and reports know the metric by: its alias (<c>as:</c>), else its name.</summary>
    public string Key => Options.Values.GetValueOrDefault(MetricCatalog.AliasOption) ?? Name;
}

/// <param name="Metrics">Metric name to the value it must reach (at least, or at most when lower is better).</param>
/// <param name="OnInterval">A metric target is met only when its whole 95% interval clears it (targets.require: interval), not its estimate.</param>
internal sealed record TargetSpec(
    IReadOnlyDictionary<string, double> Metrics,
    double? MaxErrorRate,
    double? P95LatencyMs,
    double? MaxCostPer1k,
    bool OnInterval = false)
{
    public static readonly TargetSpec None = new(new Dictionary<string, double>(), null, null, null);
}

/// <param name="Reference">`provider:name`, e.g. <c>openai:gpt-4o-mini</c> or <c>local:/models/x</c>.</param>
/// <param name="MaxConcurrency">Calls in flight to this model's endpoint at once (remote models; default: the task's concurrency).</param>
/// <param name="TimeoutSeconds">Limit of one call to a remote model.</param>
/// <param name="MaxRetries">Retries of a remote call that failed transiently (429, 408, 5xx, connection, timeout).</param>
internal sealed record ModelSpec(
    string Reference,
    string? Endpoint,
    string? ApiKeyEnv,
    double? InputPricePer1M,
    double? OutputPricePer1M,
    int? MaxConcurrency = null,
    double? TimeoutSeconds = null,
    int? MaxRetries = null);

/// <summary>One rung to evaluate: its context steps (few-shot examples, retrieved chunks), a prompt and a model with its generation settings.</summary>
internal sealed record VariantSpec(
    string Name,
    string PromptPath,
    string ModelName,
    ModelSpec Model,
    string? System,
    GenerationSettings Generation,
    ShotsSpec? Shots = null,
    RetrieveSpec? Retrieve = null);

/// <summary>Few-shot examples from the train split, chosen per item.</summary>
/// <param name="K">Examples per prompt (for <see cref="ShotSelection.Fixed"/>, the number of ids).</param>
/// <param name="Seed">Seeds random and balanced choice; each item's draw depends only on the seed and the item's id.</param>
/// <param name="Ids">The train ids of <see cref="ShotSelection.Fixed"/>, in order.</param>
/// <param name="Placement">As user/assistant turns before the item's (default), or only as the Liquid variable <c>shots</c>.</param>
/// <param name="Candidates">For <see cref="ShotSelection.Search"/>: the seeded random sets scored on the dev split.</param>
internal sealed record ShotsSpec(ShotSelection Select, int K, int Seed, IReadOnlyList<string> Ids, ShotPlacement Placement, int Candidates = 8);

internal enum ShotSelection
{
    Fixed,
    Random,
    Balanced,
    Nearest,
    Search,
}

internal enum ShotPlacement
{
    Turns,
    Variable,
}

/// <param name="JsonSchema">The schema the reply must follow (structured output), or null.</param>
internal sealed record GenerationSettings(
    float? Temperature,
    float? TopP,
    int? MaxTokens,
    long? Seed,
    IReadOnlyList<string> Stop,
    System.Text.Json.JsonElement? JsonSchema = null);
