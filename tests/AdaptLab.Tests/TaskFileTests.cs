using AdaptLab.Core;
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
