using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AdaptLab.Core.Secrets;
using AdaptLab.Metrics;

namespace AdaptLab.Core.Tasks;

/// <summary>
/// Loads <c>adaptlab.yaml</c>: schema validation first (so every structural error names its line),
/// then the checks a schema cannot express (known metrics and providers, files that exist).
/// </summary>
internal static class TaskFileLoader
{
    public static TaskDefinition Load(string path)
    {
        var file = Path.GetFullPath(path);
        if (Directory.Exists(file))
        {
            throw new InputException(path, null, null, "is a directory, not a task file; give the YAML file itself (e.g. " +
                Path.Combine(path, "adaptlab.yaml") + ")");
        }

        string text;
        try
        {
            text = Utf8Text.Read(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(path, null, null, "cannot read the task file: " + e.Message);
        }
        catch (Utf8Text.InvalidUtf8Exception e)
        {
            throw new InputException(path, e.Line, null, "is not UTF-8 text (save the file as UTF-8)");
        }

        var yaml = YamlJson.Parse(text, path);
        CheckMetrics(path, yaml, Path.GetDirectoryName(file)!);
        var errors = TaskSchema.Validate(yaml.Root);
        if (errors.Count > 0)
        {
            var (pointer, message) = errors[0];
            throw new InputException(path, yaml.LineOf(pointer), FieldName(pointer), message);
        }

        return new Reader(path, Path.GetDirectoryName(file)!, yaml).Read((JsonObject)yaml.Root!);
    }

    /// <summary>
    /// Metric names and options are checked against the catalog before the schema, which lists them too,
    /// because the catalog's message names the option and the nearest known spelling.
    /// </summary>
    private static void CheckMetrics(string path, YamlJson yaml, string baseDir)
    {
        if (yaml.Root?["metrics"] is not JsonArray metrics)
        {
            return;
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < metrics.Count; i++)
        {
            var (name, options) = MetricEntry(metrics[i], baseDir);
            if (name is null)
            {
                continue;
            }

            IMetric metric;
            try
            {
                metric = MetricCatalog.Create(name, new MetricOptions(options));
            }
            catch (ArgumentException e)
            {
                throw new InputException(path, yaml.LineOf($"/metrics/{i}"), $"metrics[{i}]", e.Message);
            }

            // Targets and gates use these names for what is not a metric.
            if (metric.Name is "max_error_rate" or "p95_latency_ms" or "max_cost_per_1k" or "require" or "error_rate" or "cost_per_1k")
            {
                throw new InputException(path, yaml.LineOf($"/metrics/{i}"), $"metrics[{i}]", $"as: '{metric.Name}' names a target or gate that is not a metric; choose another name");
            }

            // Scores, targets and reports are keyed by the metric's name, so one name is one metric.
            if (seen.TryGetValue(metric.Name, out var first))
            {
                throw new InputException(path, yaml.LineOf($"/metrics/{i}"), $"metrics[{i}]",
                    $"'{metric.Name}' is measured already by metrics[{first}] (line {yaml.LineOf($"/metrics/{first}")}); to measure it again with other options, name it: `as: {metric.Name}_2`");
            }

            seen[metric.Name] = i;
        }
    }

    /// <summary>A metric as the task file writes it, a name or {name, options...}; a null name where it is neither.</summary>
    /// <remarks>A <c>schema_path</c> is relative to the task file, like every other path in it.</remarks>
    private static (string? Name, Dictionary<string, string> Options) MetricEntry(JsonNode? node, string baseDir) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => (v.GetValue<string>(), []),
        JsonObject o when o["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String =>
            (n.GetValue<string>(), o.Where(kv => kv.Key != "name" && kv.Value is JsonValue)
                .ToDictionary(
                    kv => kv.Key,
                    kv => kv.Key == "schema_path" ? Path.GetFullPath(Path.Combine(baseDir, ScalarText(kv.Value!))) : ScalarText(kv.Value!),
                    StringComparer.Ordinal)),
        _ => (null, []),
    };

    private static string ScalarText(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.String => node.GetValue<string>(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => node.GetValue<double>().ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>"/variants/0/prompt" -> "variants[0].prompt".</summary>
    internal static string? FieldName(string pointer)
    {
        if (pointer.Length == 0)
        {
            return null;
        }

        var name = string.Empty;
        foreach (var part in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            name += int.TryParse(part, out _) ? $"[{part}]" : (name.Length == 0 ? part : "." + part);
        }

        return name.Replace("~1", "/").Replace("~0", "~");
    }

    private sealed class Reader(string path, string baseDir, YamlJson yaml)
    {
        public TaskDefinition Read(JsonObject root)
        {
            var metrics = ReadMetrics(root["metrics"]!.AsArray());
            var models = ReadModels(root["models"] as JsonObject);
            var defaults = root["defaults"] as JsonObject ?? [];
            var hasTrain = root["data"]?["train"] is not null;
            var hasDev = root["data"]?["dev"] is not null;
            var corpus = root["corpus"] is JsonObject c ? ReadCorpus(c) : null;
            var variants = root["variants"]!.AsArray().Select((v, i) => ReadVariant(v!.AsObject(), i, defaults, models, hasTrain, hasDev, corpus is not null)).ToList();
            var duplicate = variants.GroupBy(v => v.Name).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                Fail("/variants", $"variant name '{duplicate.Key}' is used twice");
            }

            return new TaskDefinition(
                Name: root["name"]!.GetValue<string>(),
                Description: root["description"]?.GetValue<string>(),
                Kind: Enum.Parse<TaskKind>(root["task"]!.GetValue<string>().Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true),
                Data: ReadData(root["data"]!.AsObject(), root),
                Labels: root["labels"]?.AsArray().Select(l => l!.GetValue<string>()).ToList(),
                Metrics: metrics,
                Targets: ReadTargets(root["targets"] as JsonObject, metrics),
                Models: models,
                Variants: variants,
                Concurrency: root["concurrency"]?.GetValue<int>() ?? 4,
                SourcePath: Path.GetFullPath(path))
            {
                Corpus = corpus,
                Ladder = LadderSpecReader.Read(root["ladder"] as JsonObject, baseDir, variants, Fail),
                Judges = ReadJudges(root["judges"] as JsonArray, models, variants),
            };
        }

        private List<JudgeSpec> ReadJudges(JsonArray? judges, IReadOnlyDictionary<string, ModelSpec> models, IReadOnlyList<VariantSpec> variants) =>
            (judges ?? []).Select((node, i) =>
            {
                var judge = node!.AsObject();
                var at = $"/judges/{i}";
                var model = judge["model"]!.GetValue<string>();
                if (!models.TryGetValue(model, out var spec))
                {
                    Fail(at + "/model", $"no model '{model}' in the models table ({string.Join(", ", models.Keys)})");
                }

                var rubric = Path.GetFullPath(Path.Combine(baseDir, judge["rubric"]!.GetValue<string>()));
                if (!File.Exists(rubric))
                {
                    Fail(at + "/rubric", $"rubric file not found: {rubric}");
                }

                var baseline = judge["pairwise"]?.GetValue<string>();
                if (baseline is not null && variants.All(v => v.Name != baseline))
                {
                    Fail(at + "/pairwise", $"no variant '{baseline}' (variants: {string.Join(", ", variants.Select(v => v.Name))})");
                }

                var scale = judge["scale"] is JsonArray s ? (s[0]!.GetValue<double>(), s[1]!.GetValue<double>()) : (1.0, 5.0);
                if (scale.Item1 >= scale.Item2)
                {
                    Fail(at + "/scale", $"the scale's lowest score ({scale.Item1}) must be below its highest ({scale.Item2})");
                }

                return new JudgeSpec(judge["name"]!.GetValue<string>(), model, spec!, rubric, scale.Item1, scale.Item2, baseline,
                    judge["repeats"]?.GetValue<int>() ?? 1, judge["temperature"]?.GetValue<float>() ?? 0, judge["seed"]?.GetValue<int>() ?? 0);
            }).ToList();

        private CorpusSpec ReadCorpus(JsonObject corpus)
        {
            var paths = corpus["path"] is JsonArray list ? list.Select(p => p!.GetValue<string>()).ToList() : [corpus["path"]!.GetValue<string>()];
            var full = new List<string>();
            for (var i = 0; i < paths.Count; i++)
            {
                var resolved = Path.GetFullPath(Path.Combine(baseDir, paths[i]));
                if (!File.Exists(resolved) && !Directory.Exists(resolved))
                {
                    Fail(corpus["path"] is JsonArray ? $"/corpus/path/{i}" : "/corpus/path", $"corpus file or folder not found: {resolved}");
                }

                full.Add(resolved);
            }

            var tokens = corpus["chunk_tokens"]?.GetValue<int>() ?? 256;
            var overlap = corpus["overlap_tokens"]?.GetValue<int>() ?? Math.Min(32, tokens / 4);
            if (overlap >= tokens)
            {
                Fail("/corpus/overlap_tokens", $"overlap_tokens ({overlap}) must be under chunk_tokens ({tokens})");
            }

            var source = new AdaptLab.Retrieval.Ingest.CorpusSource(
                full,
                corpus["text"]?.GetValue<string>() ?? "text",
                corpus["id"]?.GetValue<string>(),
                corpus["title"]?.GetValue<string>(),
                corpus["records"]?.GetValue<string>(),
                tokens,
                overlap);
            var index = corpus["index"]?.GetValue<string>() is { } given
                ? Path.GetFullPath(Path.Combine(baseDir, given))
                : Path.Combine(baseDir, ".adaptlab", "corpus", AdaptLab.Retrieval.Index.CorpusIndexKey.Compute(source, baseDir) + ".db");
            return new CorpusSpec(source, index);
        }

        private RetrieveSpec ReadRetrieve(JsonObject retrieve, string pointer, bool hasCorpus)
        {
            if (!hasCorpus)
            {
                Fail(pointer, "retrieve searches the task's corpus, and this task has no `corpus` section");
            }

            var k = retrieve["k"]?.GetValue<int>() ?? 5;
            var candidates = retrieve["candidates"]?.GetValue<int>() ?? Math.Max(50, k);
            if (candidates < k)
            {
                Fail(pointer + "/candidates", $"candidates ({candidates}) must be at least k ({k})");
            }

            return new RetrieveSpec(
                new AdaptLab.Retrieval.Search.RetrieveOptions(
                    retrieve["mode"] is { } mode ? Enum.Parse<AdaptLab.Retrieval.Search.RetrievalMode>(mode.GetValue<string>(), ignoreCase: true) : AdaptLab.Retrieval.Search.RetrievalMode.Hybrid,
                    k,
                    candidates,
                    retrieve["mmr"]?.GetValue<double>(),
                    retrieve["budget_tokens"]?.GetValue<int>()),
                retrieve["query"]?.GetValue<string>());
        }

        private DataSpec ReadData(JsonObject data, JsonObject root)
        {
            var fields = data["fields"]!.AsObject();
            var expected = fields["expected"];
            if (expected is null && root["task"]?.GetValue<string>() != "tool_call")
            {
                Fail("/data/fields", "fields.expected is required (only a tool_call task may leave it out: then no call is expected)");
            }

            SpanSlotsMapping? spans = expected is JsonObject o
                ? new SpanSlotsMapping(o["spans"]!.GetValue<string>(), o["text"]!.GetValue<string>())
                : null;
            var extra = (fields["extra"] as JsonObject ?? [])
                .ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>(), StringComparer.Ordinal);
            if (fields["system"] is not null && extra.ContainsKey(FieldMapping.SystemField))
            {
                Fail("/data/fields/extra/system", "fields.system keeps the item's system turn under the name 'system'; give this extra field another name");
            }

            foreach (var (key, node) in fields.Where(f => f.Value is JsonValue).Concat(extra.Select(x => new KeyValuePair<string, JsonNode?>($"extra/{x.Key}", JsonValue.Create(x.Value)))))
            {
                if (FieldPath.Problem(node!.GetValue<string>()) is { } problem)
                {
                    Fail($"/data/fields/{key}", problem);
                }
            }
            var truncate = (data["truncate"] as JsonObject)?.ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<int>(), StringComparer.Ordinal);
            foreach (var key in truncate?.Keys ?? Enumerable.Empty<string>())
            {
                // Truncation cuts the fields prompts see; a column of the data goes by the field it is mapped to.
                var mapped = new[] { ("input", fields["input"]?.GetValue<string>()), ("expected", expected is JsonValue e ? e.GetValue<string>() : null) }
                    .Concat(extra.Select(x => (x.Key, (string?)x.Value))).ToList();
                if (!mapped.Any(m => m.Item1 == key))
                {
                    var field = mapped.FirstOrDefault(m => m.Item2 == key).Item1;
                    Fail($"/data/truncate/{key}", field is not null
                        ? $"'{key}' is a column of the data; truncate names the field prompts see: {field} (mapped from {key})"
                        : $"no field '{key}' (fields: {string.Join(", ", mapped.Select(m => m.Item1))})");
                }
            }

            var sample = data["sample"] is JsonObject s
                ? new SampleSpec(s["size"]!.GetValue<int>(), s["seed"]?.GetValue<int>() ?? 0, s["stratify"]?.GetValue<bool>())
                : null;
            return new DataSpec(
                Test: DataPath(data, "test")!,
                Train: DataPath(data, "train"),
                Dev: DataPath(data, "dev"),
                Format: data["format"] is { } f ? Enum.Parse<DataFormat>(f.GetValue<string>(), ignoreCase: true) : null,
                Records: data["records"]?.GetValue<string>(),
                Fields: new FieldMapping(
                    fields["id"]?.GetValue<string>(),
                    fields["input"]!.GetValue<string>(),
                    spans is null ? expected?.GetValue<string>() : null,
                    spans,
                    extra,
                    fields["system"]?.GetValue<string>()),
                Sample: sample,
                Truncate: truncate,
                Answers: DataPath(data, "answers"));
        }

        private string? DataPath(JsonObject data, string split)
        {
            if (data[split] is not { } node)
            {
                return null;
            }

            var full = Path.GetFullPath(Path.Combine(baseDir, node.GetValue<string>()));
            if (!File.Exists(full))
            {
                Fail($"/data/{split}", $"file not found: {full}");
            }

            return full;
        }

        private List<MetricSpec> ReadMetrics(JsonArray array)
        {
            var specs = new List<MetricSpec>();
            foreach (var node in array)
            {
                var (name, options) = MetricEntry(node, baseDir);
                specs.Add(new MetricSpec(name!, new MetricOptions(options)));
            }

            return specs;
        }

        private TargetSpec ReadTargets(JsonObject? targets, IReadOnlyList<MetricSpec> metrics)
        {
            if (targets is null)
            {
                return TargetSpec.None;
            }

            var metricTargets = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (key, value) in targets)
            {
                if (key is "max_error_rate" or "p95_latency_ms" or "max_cost_per_1k" or "require")
                {
                    continue;
                }

                if (!metrics.Any(m => m.Key == key))
                {
                    Fail($"/targets/{key}", $"'{key}' is not one of this task's metrics ({string.Join(", ", metrics.Select(m => m.Key))})");
                }

                metricTargets[key] = value!.GetValue<double>();
            }

            return new TargetSpec(
                metricTargets,
                targets["max_error_rate"]?.GetValue<double>(),
                targets["p95_latency_ms"]?.GetValue<double>(),
                targets["max_cost_per_1k"]?.GetValue<double>(),
                targets["require"]?.GetValue<string>() == "interval");
        }

        private Dictionary<string, ModelSpec> ReadModels(JsonObject? models)
        {
            var result = new Dictionary<string, ModelSpec>(StringComparer.Ordinal);
            foreach (var (name, node) in models ?? [])
            {
                var m = node!.AsObject();
                var reference = m["ref"]!.GetValue<string>();
                CheckReference(reference, $"/models/{name}/ref");
                var keyVariable = m["api_key_env"]?.GetValue<string>();
                if (keyVariable is not null)
                {
                    // The message never repeats the value: it may be the key itself.
                    if (SecretRedactor.LooksLikeKey(keyVariable))
                    {
                        Fail($"/models/{name}/api_key_env",
                            "api_key_env takes the name of an environment variable that holds the key (e.g. OPENAI_API_KEY), not the key itself; " +
                            "remove the key from the task file and export it in that variable");
                    }

                    SecretRedactor.RegisterKeyVariable(keyVariable);
                }

                var endpoint = m["endpoint"]?.GetValue<string>();
                if (endpoint is not null && !(Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
                {
                    Fail($"/models/{name}/endpoint", $"'{endpoint}' is not an http(s) URL (e.g. http://localhost:8000/v1)");
                }

                result[name] = new ModelSpec(
                    ResolveLocal(reference),
                    endpoint,
                    keyVariable,
                    m["input_price_per_1m"]?.GetValue<double>(),
                    m["output_price_per_1m"]?.GetValue<double>(),
                    m["max_concurrency"]?.GetValue<int>(),
                    m["timeout_s"]?.GetValue<double>(),
                    m["max_retries"]?.GetValue<int>());
            }

            return result;
        }

        private VariantSpec ReadVariant(JsonObject v, int index, JsonObject defaults, Dictionary<string, ModelSpec> models, bool hasTrain, bool hasDev, bool hasCorpus)
        {
            var at = $"/variants/{index}";
            JsonNode? Setting(string key) => v[key] ?? defaults[key];

            var modelName = Setting("model")?.GetValue<string>();
            if (modelName is null)
            {
                Fail(at, "no model: set `model` on the variant or in `defaults`");
            }

            if (!models.TryGetValue(modelName!, out var model))
            {
                CheckReference(modelName!, v["model"] is null ? "/defaults/model" : at + "/model");
                model = new ModelSpec(ResolveLocal(modelName!), null, null, null, null);
            }

            var prompt = Path.GetFullPath(Path.Combine(baseDir, v["prompt"]!.GetValue<string>()));
            if (!File.Exists(prompt))
            {
                Fail(at + "/prompt", $"prompt file not found: {prompt}");
            }

            return new VariantSpec(
                Name: v["name"]!.GetValue<string>(),
                PromptPath: prompt,
                ModelName: modelName!,
                Model: model,
                System: Setting("system")?.GetValue<string>(),
                Generation: new GenerationSettings(
                    Temperature: (float?)Setting("temperature")?.GetValue<double>(),
                    TopP: (float?)Setting("top_p")?.GetValue<double>(),
                    MaxTokens: Setting("max_tokens")?.GetValue<int>(),
                    Seed: Setting("seed")?.GetValue<long>(),
                    Stop: Setting("stop")?.AsArray().Select(s => s!.GetValue<string>()).ToList() ?? [],
                    JsonSchema: Setting("json_schema") is { } schema
                        ? ReadJsonSchema(schema.GetValue<string>(), v["json_schema"] is null ? "/defaults/json_schema" : at + "/json_schema")
                        : null),
                Shots: Setting("shots") is JsonObject shots ? ReadShots(shots, v["shots"] is null ? "/defaults/shots" : at + "/shots", hasTrain, hasDev) : null,
                Retrieve: Setting("retrieve") is JsonObject retrieve ? ReadRetrieve(retrieve, v["retrieve"] is null ? "/defaults/retrieve" : at + "/retrieve", hasCorpus) : null);
        }

        private ShotsSpec ReadShots(JsonObject shots, string pointer, bool hasTrain, bool hasDev)
        {
            if (!hasTrain)
            {
                Fail(pointer, "few-shot examples come from the train split, and this task has no data.train");
            }

            var select = Enum.Parse<ShotSelection>(shots["select"]!.GetValue<string>(), ignoreCase: true);
            var ids = shots["ids"]?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [];
            if (select == ShotSelection.Fixed && ids.Count == 0)
            {
                Fail(pointer, "select: fixed needs `ids`, the train items to show, in order");
            }

            if (select != ShotSelection.Fixed && ids.Count > 0)
            {
                Fail(pointer + "/ids", $"`ids` is for select: fixed; select: {select.ToString().ToLowerInvariant()} chooses its own");
            }

            if (select != ShotSelection.Fixed && shots["k"] is null)
            {
                Fail(pointer, $"select: {select.ToString().ToLowerInvariant()} needs `k`, the number of examples per prompt");
            }

            if (select == ShotSelection.Search && !hasDev)
            {
                Fail(pointer, "select: search scores candidate sets on the dev split, and this task has no data.dev");
            }

            if (select != ShotSelection.Search && shots["candidates"] is not null)
            {
                Fail(pointer + "/candidates", "`candidates` is for select: search");
            }

            return new ShotsSpec(
                select,
                select == ShotSelection.Fixed ? ids.Count : shots["k"]!.GetValue<int>(),
                shots["seed"]?.GetValue<int>() ?? 0,
                ids,
                shots["as"]?.GetValue<string>() == "variable" ? ShotPlacement.Variable : ShotPlacement.Turns,
                shots["candidates"]?.GetValue<int>() ?? 8);
        }

        private JsonElement ReadJsonSchema(string relative, string pointer)
        {
            var full = Path.GetFullPath(Path.Combine(baseDir, relative));
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllText(full));
                return document.RootElement.Clone();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                Fail(pointer, $"cannot read the JSON Schema {full}: {e.Message}");
                throw;
            }
        }

        private void CheckReference(string reference, string pointer)
        {
            try
            {
                ModelReference.Parse(reference);
            }
            catch (ArgumentException e)
            {
                Fail(pointer, e.Message);
            }
        }

        /// <summary>A relative <c>local:</c> path is relative to the task file, like every other path in it.</summary>
        private string ResolveLocal(string reference)
        {
            var parsed = ModelReference.Parse(reference);
            return parsed.Provider == "local" && !parsed.Name.StartsWith("hf:", StringComparison.Ordinal)
                ? "local:" + Path.GetFullPath(Path.Combine(baseDir, parsed.Name))
                : reference;
        }

        private void Fail(string pointer, string message) =>
            throw new InputException(path, yaml.LineOf(pointer), FieldName(pointer), message);
    }
}
