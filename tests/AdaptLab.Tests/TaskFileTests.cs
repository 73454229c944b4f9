using AdaptLab.Core.Tasks;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests;

public class TaskFileTests
{
    private const string Valid = """
        name: demo
        task: classification
        data:
          test: data.jsonl
          fields: { input: text, expected: label }
        metrics: [accuracy]
        defaults: { model: "openai:gpt-4o-mini", temperature: 0 }
        variants:
          - name: base
            prompt: p.liquid
        """;

    private static (TempDir Dir, string Path) Write(string yaml)
    {
        var dir = new TempDir();
        dir.Write("data.jsonl", "{\"text\": \"hi\", \"label\": \"a\"}\n");
        dir.Write("p.liquid", "{{ input }}");
        return (dir, dir.Write("adaptlab.yaml", yaml));
    }

    [Fact]
    public void A_valid_task_file_loads_with_defaults_applied_and_paths_resolved()
    {
        var (dir, path) = Write(Valid);
        using var _ = dir;

        var task = TaskFileLoader.Load(path);

        Assert.Equal("demo", task.Name);
        Assert.Equal(TaskKind.Classification, task.Kind);
        Assert.Equal(dir.Path("data.jsonl"), task.Data.Test);
        var variant = Assert.Single(task.Variants);
        Assert.Equal("openai:gpt-4o-mini", variant.Model.Reference);
        Assert.Equal(0f, variant.Generation.Temperature);
        Assert.Equal(dir.Path("p.liquid"), variant.PromptPath);
        Assert.Equal(4, task.Concurrency);
    }

    [Theory]
    [InlineData("task: classification", "task: clasification", 2, "task")]
    [InlineData("metrics: [accuracy]", "metrics: [acuracy]", 6, "metrics[0]")]
    [InlineData("defaults: { model: \"openai:gpt-4o-mini\", temperature: 0 }", "defaults: { model: \"closedai:gpt\", temperature: 0 }", 7, "defaults.model")]
    [InlineData("    prompt: p.liquid", "    prompt: missing.liquid", 10, "variants[0].prompt")]
    [InlineData("defaults: { model: \"openai:gpt-4o-mini\", temperature: 0 }", "defaults: { model: \"openai:gpt-4o-mini\", temperature: hot }", 7, "defaults.temperature")]
    [InlineData("  test: data.jsonl", "  test: nowhere.jsonl", 4, "data.test")]
    [InlineData("    prompt: p.liquid", "    prompt: p.liquid\n    json_schema: missing.json", 11, "variants[0].json_schema")]
    [InlineData("metrics: [accuracy]", "metrics: [accuracy]\ncolour: blue", 7, null)]
    [InlineData("  fields: { input: text, expected: label }", "  fields: { input: text, expected: label }\n\tsample: { size: 1 }", 6, null)]
    [InlineData("defaults: {", "models:\n  m: { ref: \"openai-compatible:m\", endpoint: \"ftp://host/v1\" }\ndefaults: {", 8, "models.m.endpoint")]
    [InlineData("    prompt: p.liquid", "    prompt: p.liquid\n    retrieve: { k: 3 }", 11, "variants[0].retrieve")]
    [InlineData("metrics: [accuracy]", "corpus: { path: no-such-docs }\nmetrics: [accuracy]", 6, "corpus.path")]
    [InlineData("metrics: [accuracy]", "corpus: { path: data.jsonl, chunk_tokens: 32, overlap_tokens: 32 }\nmetrics: [accuracy]", 6, "corpus.overlap_tokens")]
    [InlineData("    prompt: p.liquid", "    prompt: p.liquid\n    retrieve: { mode: fuzzy }", 11, "variants[0].retrieve.mode")]
    public void Each_mistake_is_reported_with_its_line_and_field(string from, string to, int line, string? field)
    {
        var (dir, path) = Write(Valid.Replace(from, to, StringComparison.Ordinal));
        using var _ = dir;

        var error = Assert.Throws<InputException>(() => TaskFileLoader.Load(path));

        Assert.Equal(path, error.File);
        Assert.Equal(line, error.Line);
        if (field is not null)
        {
            Assert.Equal(field, error.Field);
        }

        Assert.StartsWith($"{path}:{line}:", error.Message);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_named_by_line()
    {
        var (dir, path) = Write(Valid);
        using var _ = dir;
        var bytes = System.Text.Encoding.UTF8.GetBytes(Valid.Replace("name: demo", "name: demo\ndescription: caf#", StringComparison.Ordinal));
        bytes[Array.IndexOf(bytes, (byte)'#')] = 0xE9; // "café" in Latin-1
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InputException>(() => TaskFileLoader.Load(path));

        Assert.Equal($"{path}:2: is not UTF-8 text (save the file as UTF-8)", error.Message);
    }

    [Fact]
    public void A_directory_given_as_the_task_file_is_named_as_one()
    {
        var (dir, _) = Write(Valid);
        using var __ = dir;

        var error = Assert.Throws<InputException>(() => TaskFileLoader.Load(dir.Root));

        Assert.StartsWith($"{dir.Root}: is a directory, not a task file", error.Message);
    }

    [Theory]
    [InlineData("metrics: [{name: accuracy, ignore_case: true}]", "metric 'accuracy' takes no options, got 'ignore_case'")]
    [InlineData("metrics: [{name: exact_match, ignore_cas: true}]", "unknown option 'ignore_cas' for metric 'exact_match' (did you mean 'ignore_case'?)")]
    [InlineData("metrics: [acuracy]", "unknown metric 'acuracy' (did you mean 'accuracy'?)")]
    [InlineData("metrics: [accuracy]\nconcurency: 2", "unknown key 'concurency' (did you mean 'concurrency'?)")]
    [InlineData("metrics: [accuracy]\ncolour: blue", "unknown key 'colour'")]
    [InlineData("metrics: [accuracy]\nmodel: openai:gpt-4o-mini", "'model' is not a key here; it belongs under defaults or judges or variants")]
    [InlineData("metrics: [accuracy, macro_f1, accuracy]", "metrics[2]: 'accuracy' is measured already by metrics[0] (line 6)")]
    [InlineData("metrics:\n  - exact_match\n  - { name: exact_match, ignore_case: true }", "adaptlab.yaml:8: metrics[1]: 'exact_match' is measured already by metrics[0] (line 7); to measure it again with other options, name it: `as: exact_match_2`")]
    [InlineData("metrics:\n  - exact_match\n  - { name: exact_match, ignore_case: true, as: exact_match }", "'exact_match' is measured already by metrics[0]")]
    [InlineData("metrics: [exact_match, { name: exact_match, as: accuracy }]", "as: 'accuracy' is another metric's name")]
    [InlineData("metrics: [exact_match, { name: exact_match, as: '2nd' }]", "as: '2nd' is not a metric name")]
    [InlineData("metrics: [exact_match, { name: exact_match, as: max_error_rate }]", "as: 'max_error_rate' names a target or gate that is not a metric")]
    public void Unknown_names_and_options_are_errors_that_suggest_the_known_spelling(string metrics, string message)
    {
        var (dir, path) = Write(Valid.Replace("metrics: [accuracy]", metrics, StringComparison.Ordinal));
        using var _ = dir;

        var error = Assert.Throws<InputException>(() => TaskFileLoader.Load(path));

        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("task: classification", "task: clasification", "task: 'clasification' is not one of: classification, extraction, generation, qa, code, tool_call (did you mean 'classification'?)")]
    [InlineData("    prompt: p.liquid", "    prompt: p.liquid\n    shots: { select: nearset, k: 1 }", "'nearset' is not one of: fixed, random, balanced, nearest, search (did you mean 'nearest'?)")]
    public void A_value_outside_its_choices_lists_them_and_the_nearest(string from, string to, string message)
    {
        var (dir, path) = Write(Valid.Replace(from, to, StringComparison.Ordinal));
        using var _ = dir;

        var error = Assert.Throws<InputException>(() => TaskFileLoader.Load(path));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_field_missing_from_the_data_lists_the_records_fields()
    {
        var (dir, path) = Write(Valid.Replace("input: text", "input: txt", StringComparison.Ordinal));
        using var _ = dir;
        var task = TaskFileLoader.Load(path);

        var error = Assert.Throws<InputException>(() => AdaptLab.Core.Items.DatasetLoader.Load(task.Data.Test, task.Data));

        Assert.Contains("data.jsonl:1: input: missing field 'txt' (the record's fields: text, label); did you mean 'text'?", error.Message);
    }

    [Fact]
    public void Metrics_of_different_names_load()
    {
        // The control for the duplicate check: rouge-style options on distinct metrics are one metric each.
        var (dir, path) = Write(Valid.Replace("metrics: [accuracy]", "metrics: [accuracy, macro_f1, { name: micro_f1 }]", StringComparison.Ordinal));
        using var _ = dir;

        Assert.Equal(["accuracy", "macro_f1", "micro_f1"], TaskFileLoader.Load(path).Metrics.Select(m => m.Name));
    }

    [Fact]
    public void The_schema_declares_exactly_the_catalog_metrics_and_options()
    {
        var schema = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(RepoPaths.Path("schema", "adaptlab.schema.json")))!;
        Assert.Empty(SchemaMetricDifferences(schema));

        // Positive control: one option fewer in the schema is found.
        var branches = schema["$defs"]!["metric"]!["oneOf"]![1]!["allOf"]!.AsArray();
        var bleu = branches.Single(b => b!["if"]!["properties"]!["name"]!["const"]!.GetValue<string>() == "bleu")!;
        bleu["then"]!["properties"]!.AsObject().Remove("tokenize");
        Assert.Equal(["bleu: tokenize is in the catalog but not the schema"], SchemaMetricDifferences(schema));
    }

    private static List<string> SchemaMetricDifferences(System.Text.Json.Nodes.JsonNode schema)
    {
        var metric = schema["$defs"]!["metric"]!["oneOf"]!;
        var differences = new List<string>();
        var names = metric[0]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()).ToHashSet();
        if (!names.SetEquals(AdaptLab.Metrics.MetricCatalog.Names))
        {
            differences.Add("the schema's metric names differ from the catalog's");
        }

        var branches = metric[1]!["allOf"]!.AsArray().ToDictionary(
            b => b!["if"]!["properties"]!["name"]!["const"]!.GetValue<string>(), b => b!["then"]!["properties"]!.AsObject());
        foreach (var definition in AdaptLab.Metrics.MetricCatalog.All)
        {
            if (!branches.TryGetValue(definition.Name, out var properties))
            {
                differences.Add($"{definition.Name}: no options in the schema");
                continue;
            }

            foreach (var option in definition.Options)
            {
                var type = option.Type.ToString().ToLowerInvariant();
                if (properties[option.Name] is not { } declared)
                {
                    differences.Add($"{definition.Name}: {option.Name} is in the catalog but not the schema");
                }
                else if (declared["type"]!.GetValue<string>() != type)
                {
                    differences.Add($"{definition.Name}: {option.Name} is {type} in the catalog but not in the schema");
                }
            }

            if (properties[AdaptLab.Metrics.MetricCatalog.AliasOption] is null)
            {
                differences.Add($"{definition.Name}: no alias ({AdaptLab.Metrics.MetricCatalog.AliasOption}) in the schema");
            }

            foreach (var (key, _) in properties.Where(p => p.Key is not ("name" or AdaptLab.Metrics.MetricCatalog.AliasOption) && definition.Options.All(o => o.Name != p.Key)))
            {
                differences.Add($"{definition.Name}: {key} is in the schema but not the catalog");
            }
        }

        return differences;
    }

    [Fact]
    public void Broken_yaml_names_the_line()
    {
        var (dir, path) = Write("name: demo\ntask: [classification\n");
        using var _ = dir;

        var error = Assert.Throws<InputException>(() => TaskFileLoader.Load(path));

        Assert.Contains("not valid YAML", error.Message);
        Assert.NotNull(error.Line);
    }

    [Fact]
    public void Targets_must_name_the_tasks_metrics()
    {
        var (dir, path) = Write(Valid.Replace("metrics: [accuracy]", "metrics: [accuracy]\ntargets: { bleu: 30 }", StringComparison.Ordinal));
        using var _ = dir;

        var error = Assert.Throws<InputException>(() => TaskFileLoader.Load(path));

        Assert.Equal("targets.bleu", error.Field);
        Assert.Equal(7, error.Line);
    }

    [Theory]
    [InlineData("banking77")]
    [InlineData("restaurant8k")]
    [InlineData("squad")]
    [InlineData("humaneval")]
    [InlineData("pet-names")]
    [InlineData("slots-local")]
    public void The_examples_are_valid(string example)
    {
        var task = TaskFileLoader.Load(RepoPaths.Path("examples", example, "adaptlab.yaml"));

        Assert.NotEmpty(task.Variants);
    }
}
