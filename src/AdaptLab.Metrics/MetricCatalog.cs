using AdaptLab.Metrics.Classification;
using AdaptLab.Metrics.Code;
using AdaptLab.Metrics.Retrieval;
using AdaptLab.Metrics.Structured;
using AdaptLab.Metrics.Text;
using AdaptLab.Metrics.ToolCalls;
using T = AdaptLab.Metrics.MetricOptionType;

namespace AdaptLab.Metrics;

/// <summary>
/// Maps the metric names a task file may use to their implementations and declared options. Options
/// come from the task file as strings (e.g. <c>tokenize: 13a</c>); a name a metric does not declare is
/// an error, never silently ignored, and each factory validates its values.
/// </summary>
public static class MetricCatalog
{
    private static readonly MetricOptionSpec AllowFence = new("allow_fence", T.Boolean, "false", "accept the JSON inside a Markdown code fence");
    private static readonly MetricOptionSpec Lowercase = new("lowercase", T.Boolean, "false", "lowercase hypothesis and references first");

    private static readonly MetricOptionSpec[] ExactMatchOptions =
    [
        new("ignore_case", T.Boolean, "true", "compare case-insensitively"),
        new("collapse_whitespace", T.Boolean, "true", "treat runs of whitespace as one space"),
        new("strip_punctuation", T.Boolean, "false", "remove ASCII punctuation first"),
    ];

    private static readonly MetricOptionSpec[] FieldOptions = [AllowFence, new("ignore_case", T.Boolean, "false", "compare field values case-insensitively")];

    private static readonly MetricOptionSpec[] SandboxOptionSpecs =
    [
        new("test_format", T.String, "humaneval",
            "where the tests are: humaneval (fields prompt, test defining check(candidate), entry_point) or asserts (field tests: a list of assert statements; optional setup)",
            ["humaneval", "asserts"]),
        new("timeout_s", T.Number, "5", "wall-clock limit of one program with its tests in the sandbox, in seconds"),
        new("memory_mb", T.Integer, "512", "address-space limit of the sandboxed program"),
        new("parallelism", T.Integer, null, "programs run at once (default: the processor count)"),
        new("python", T.String, "/usr/bin/python3", "the interpreter run inside the sandbox"),
    ];

    private static readonly MetricOptionSpec[] ChrfOptions =
    [
        new("char_order", T.Integer, "6", "character n-gram order"),
        new("word_order", T.Integer, null, "word n-gram order (chrf: 0, chrf_pp: 2)"),
        new("beta", T.Number, "2", "weight of recall against precision"),
        Lowercase,
        new("whitespace", T.Boolean, "false", "keep whitespace in character n-grams"),
        new("eps_smoothing", T.Boolean, "false", "sacrebleu's epsilon smoothing instead of chrF++.py's"),
    ];

    private static readonly MetricOptionSpec[] ToolOptions = [new("tools_field", T.String, ToolCallMetric.DefaultToolsField, "the item field holding the offered tools (a JSON list)")];

    private static readonly MetricOptionSpec[] RougeOptions = [new("stemmer", T.Boolean, "false", "Porter-stem tokens first, as rouge_score's use_stemmer")];

    private static readonly MetricOptionSpec[] RetrievalOptions =
    [
        new("gold", T.String, null, "the item field holding the gold passages: their text (a string or a JSON list), or with match: source their source ids (required)"),
        new("k", T.Integer, null, "count only the top k chunks (default: all the variant retrieved)"),
        new("match", T.String, "text", "text: a chunk belongs to a gold passage when one contains the other; source: when its source is the passage's id", ["text", "source"]),
    ];

    private static readonly MetricDefinition[] Definitions =
    [
        new("accuracy", "share of replies equal to the gold label (whitespace trimmed)", [],
            (_, _) => new ExactMatch("accuracy", TextNormalization.Strict)),
        new("exact_match", "share of replies equal to a reference after normalisation", ExactMatchOptions, (o, _) => new ExactMatch(
            "exact_match",
            new TextNormalization(
                Trim: true,
                IgnoreCase: o.GetBool("ignore_case", true),
                CollapseWhitespace: o.GetBool("collapse_whitespace", true),
                StripPunctuation: o.GetBool("strip_punctuation", false)))),
        new("macro_f1", "unweighted mean of per-label F1 over the task's labels", [], (_, c) => new AveragedF1(F1Average.Macro, c.Labels)),
        new("micro_f1", "F1 of pooled counts over the task's labels", [], (_, c) => new AveragedF1(F1Average.Micro, c.Labels)),
        new("weighted_f1", "per-label F1 weighted by gold support", [], (_, c) => new AveragedF1(F1Average.Weighted, c.Labels)),
        new("json_valid", "share of replies that parse as JSON", [AllowFence], (o, _) => new JsonValid(JsonOutputOptions.From(o))),
        new("json_schema", "share of replies valid against a JSON Schema", [
            new("schema", T.String, null, "the schema as inline JSON (this or schema_path)"),
            new("schema_path", T.String, null, "a file holding the schema (this or schema)"),
            AllowFence,
        ], (o, _) => JsonSchemaValid.FromOptions(o)),
        new("field_f1", "F1 of predicted against expected JSON fields", FieldOptions, (o, _) => FieldScore.FromOptions(FieldMeasure.F1, o)),
        new("field_precision", "precision of predicted JSON fields", FieldOptions, (o, _) => FieldScore.FromOptions(FieldMeasure.Precision, o)),
        new("field_recall", "recall of expected JSON fields", FieldOptions, (o, _) => FieldScore.FromOptions(FieldMeasure.Recall, o)),
        new("pass_at_1", "share of problems whose program passes its tests (sandboxed)", SandboxOptionSpecs,
            (o, _) => PassAtKTaskOptions.Create("pass_at_1", 1, o)),
        new("pass_at_k", "unbiased pass@k over n samples per problem (sandboxed)",
            [new("k", T.Integer, null, "samples drawn per problem (required)"), .. SandboxOptionSpecs],
            (o, _) => PassAtKTaskOptions.Create("pass_at_k", null, o)),
        new("bleu", "corpus BLEU as sacrebleu", [
            new("tokenize", T.String, "13a", "tokenizer", ["13a", "intl", "char", "none", "zh"]),
            new("smooth", T.String, "exp", "smoothing method", ["none", "floor", "add-k", "exp"]),
            new("smooth_value", T.Number, null, "the value of floor or add-k smoothing"),
            Lowercase,
            new("effective_order", T.Boolean, "false", "leave out n-gram orders with no matches (sentence BLEU)"),
            new("max_ngram_order", T.Integer, "4", "highest n-gram order"),
        ], (o, _) => TextMetricFactories.Bleu(o), FullScale: 100),
        new("chrf", "character n-gram F-score as sacrebleu", ChrfOptions, (o, _) => TextMetricFactories.Chrf(o, "chrf", defaultWordOrder: 0), FullScale: 100),
        new("chrf_pp", "chrF++ (chrF with word bigrams) as sacrebleu", ChrfOptions, (o, _) => TextMetricFactories.Chrf(o, "chrf_pp", defaultWordOrder: 2), FullScale: 100),
        new("ter", "translation edit rate as sacrebleu (lower is better)", [
            new("normalized", T.Boolean, "false", "normalise punctuation and tokenise"),
            new("no_punct", T.Boolean, "false", "remove punctuation"),
            new("asian_support", T.Boolean, "false", "split Asian characters"),
            new("case_sensitive", T.Boolean, "false", "compare case-sensitively"),
        ], (o, _) => TextMetricFactories.Ter(o), FullScale: 100),
        new("rouge1", "ROUGE-1 F as rouge_score", RougeOptions, (o, _) => new RougeMetric("rouge1", o.GetBool("stemmer", false))),
        new("rouge2", "ROUGE-2 F as rouge_score", RougeOptions, (o, _) => new RougeMetric("rouge2", o.GetBool("stemmer", false))),
        new("rougeL", "ROUGE-L F as rouge_score", RougeOptions, (o, _) => new RougeMetric("rougeL", o.GetBool("stemmer", false))),
        new("rougeLsum", "summary-level ROUGE-L F as rouge_score", RougeOptions, (o, _) => new RougeMetric("rougeLsum", o.GetBool("stemmer", false))),
        new("codexglue_bleu", "smoothed sentence BLEU as CodeXGLUE's evaluator", [], (_, _) => new CodeXGlueBleuMetric(), FullScale: 100),
        new("squad_em", "SQuAD exact match, the best over the answers", [], (_, _) => new SquadMetric(SquadMeasure.ExactMatch)),
        new("squad_f1", "SQuAD token F1, the best over the answers", [], (_, _) => new SquadMetric(SquadMeasure.F1)),
        new("tool_call_match", "share of items whose tool calls match the expected ones, as BFCL's AST checker", ToolOptions,
            (o, _) => ToolCallMetric.FromOptions(ToolCallMeasure.Match, o)),
        new("tool_name_valid", "share of items whose calls all name an offered tool", ToolOptions,
            (o, _) => ToolCallMetric.FromOptions(ToolCallMeasure.NameValid, o)),
        new("tool_args_valid", "share of items whose calls' arguments fit their tool's parameters", ToolOptions,
            (o, _) => ToolCallMetric.FromOptions(ToolCallMeasure.ArgumentsValid, o)),
        new("retrieval_recall", "share of the gold passages among the retrieved chunks (recall@k; variants with a retrieve step)", RetrievalOptions,
            (o, _) => RetrievalMetric.FromOptions("retrieval_recall", RetrievalMeasure.Recall, o)),
        new("retrieval_mrr", "one over the rank of the first gold passage retrieved (MRR@k)", RetrievalOptions,
            (o, _) => RetrievalMetric.FromOptions("retrieval_mrr", RetrievalMeasure.Mrr, o)),
        new("retrieval_ndcg", "nDCG@k of the retrieved chunks, binary gains per gold passage", RetrievalOptions,
            (o, _) => RetrievalMetric.FromOptions("retrieval_ndcg", RetrievalMeasure.Ndcg, o)),
        new("citation_support", "share of answers citing given chunks [n] that contain the answer's words", [
            new("min_overlap", T.Number, "1", "the share of the answer's content words the cited chunks must hold"),
        ], (o, _) => new CitationSupport(o.GetDouble("min_overlap", 1))),
        new("no_call_accuracy", "share of items where a tool was called exactly when one was expected", ToolOptions,
            (o, _) => ToolCallMetric.FromOptions(ToolCallMeasure.CallDecision, o)),
    ];

    private static readonly Dictionary<string, MetricDefinition> ByName = Definitions.ToDictionary(d => d.Name, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    /// <summary>Every metric with its declared options, in catalog order.</summary>
    public static IReadOnlyList<MetricDefinition> All => Definitions;

    public static bool IsKnown(string name) => ByName.ContainsKey(name);

    /// <summary>A perfect score of the metric on its own scale (see <see cref="MetricDefinition.FullScale"/>); 1 when unknown.</summary>
    public static double FullScale(string name) => ByName.TryGetValue(name, out var d) ? d.FullScale : 1;

    /// <summary>A perfect score of <paramref name="metric"/>, which may go by an alias (<see cref="AliasOption"/>).</summary>
    public static double FullScale(IMetric metric) => FullScale(metric is AliasedMetric aliased ? aliased.Inner.Name : metric.Name);

    /// <summary>The option every metric takes: the name the task's scores, targets and reports know it by (<c>as: rouge1_stemmed</c>).</summary>
    public const string AliasOption = "as";

    /// <exception cref="ArgumentException">The name is unknown, an option is not one the metric declares, or a value is invalid.</exception>
    public static IMetric Create(string name, MetricOptions? options = null, MetricContext? context = null)
    {
        if (!ByName.TryGetValue(name, out var definition))
        {
            throw new ArgumentException(
                $"unknown metric '{name}'{DidYouMean(name, ByName.Keys)}; known metrics: {string.Join(", ", ByName.Keys.Order(StringComparer.Ordinal))}");
        }

        options ??= MetricOptions.None;
        if (options.Values.TryGetValue(AliasOption, out var alias))
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(alias, "^[A-Za-z][A-Za-z0-9_.-]*$"))
            {
                throw new ArgumentException($"as: '{alias}' is not a metric name (a letter, then letters, digits, '_', '.' or '-')");
            }

            if (ByName.ContainsKey(alias) && alias != name)
            {
                throw new ArgumentException($"as: '{alias}' is another metric's name; choose a name of its own");
            }

            var own = new MetricOptions(options.Values.Where(o => o.Key != AliasOption).ToDictionary(o => o.Key, o => o.Value));
            return new AliasedMetric(Create(name, own, context), alias);
        }

        foreach (var key in options.Values.Keys)
        {
            if (!definition.Options.Any(o => o.Name == key))
            {
                throw new ArgumentException(definition.Options.Count == 0
                    ? $"metric '{name}' takes no options, got '{key}'"
                    : $"unknown option '{key}' for metric '{name}'{DidYouMean(key, definition.Options.Select(o => o.Name))}; " +
                      $"its options: {string.Join(", ", definition.Options.Select(o => o.Name))}");
            }
        }

        return definition.Factory(options, context ?? MetricContext.None);
    }

    private static string DidYouMean(string given, IEnumerable<string> known) =>
        Spelling.Closest(given, known) is { } near ? $" (did you mean '{near}'?)" : string.Empty;
}
