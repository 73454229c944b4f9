using System.Text.Json.Nodes;
using AdaptLab.Core;
using AdaptLab.Core.Items;
using AdaptLab.Core.Tasks;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests;

public class DatasetTests
{
    private static DataSpec Spec(string input, string? expected, string? records = null, string? id = null,
        SpanSlotsMapping? spans = null, Dictionary<string, string>? extra = null) =>
        new("unused", null, null, null, records, new FieldMapping(id, input, expected, spans, extra ?? []), null);

    [Fact]
    public void Banking77_csv_loads_every_row_with_its_line()
    {
        var path = SharedData.Path("datasets", "banking77", "test.csv");

        var data = DatasetLoader.Load(path, Spec("text", "category"));

        Assert.Equal(3080, data.Items.Count);
        Assert.Equal(77, data.Items.Select(i => i.Expected[0]).Distinct().Count());
        Assert.Equal("test.csv:2", data.Items[0].Location);
        Assert.Equal(64, data.ContentHash.Length);
    }

    [Fact]
    public void Restaurant8k_spans_become_slot_objects()
    {
        var path = SharedData.Path("datasets", "restaurant8k", "test.json");

        var data = DatasetLoader.Load(path, Spec("userInput.text", null, spans: new SpanSlotsMapping("labels", "userInput.text")));

        Assert.Equal(3731, data.Items.Count);
        var raw = JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        for (var i = 0; i < data.Items.Count; i++)
        {
            var expected = JsonNode.Parse(data.Items[i].Expected[0])!.AsObject();
            var labels = raw[i]!["labels"] as JsonArray ?? [];
            Assert.Equal(labels.Count, expected.Count);
            foreach (var label in labels)
            {
                var text = raw[i]!["userInput"]!["text"]!.GetValue<string>();
                var start = label!["valueSpan"]!["startIndex"]?.GetValue<int>() ?? 0;
                var end = label["valueSpan"]!["endIndex"]!.GetValue<int>();
                Assert.Equal(text[start..end], expected[label["slot"]!.GetValue<string>()]!.GetValue<string>());
            }
        }
    }

    [Fact]
    public void Squad_nested_records_reach_the_parent_context_and_keep_every_answer()
    {
        var path = SharedData.Path("datasets", "squad", "dev-v2.0.json");

        var data = DatasetLoader.Load(path, Spec("question", "answers[].text", "data[].paragraphs[].qas[]", id: "id",
            extra: new() { ["context"] = "^.context" }));

        Assert.Equal(6078, data.Items.Count);
        Assert.Equal(3168, data.Items.Count(i => i.Expected.Count == 0));
        Assert.Contains(data.Items, i => i.Expected.Count > 1);
        var first = data.Items.First(i => i.Expected.Count > 0);
        Assert.Contains(first.Expected[0], first.Fields["context"], StringComparison.Ordinal);
    }

    [Fact]
    public void HumanEval_gzipped_jsonl_loads()
    {
        var path = SharedData.Path("datasets", "humaneval", "HumanEval.jsonl.gz");

        var data = DatasetLoader.Load(path, Spec("prompt", "canonical_solution", id: "task_id",
            extra: new() { ["test"] = "test", ["entry_point"] = "entry_point" }));

        Assert.Equal(164, data.Items.Count);
        Assert.Equal("HumanEval/0", data.Items[0].Id);
        Assert.Contains("def check(candidate)", data.Items[0].Fields["test"]);
    }

    [Theory]
    [InlineData("data.jsonl", "{\"text\": \"a\", \"label\": \"x\"}\n{\"text\": \"b\", \"label\": \n", 2, null, "not valid JSON")]
    [InlineData("data.jsonl", "{\"text\": \"a\", \"label\": \"x\"}\n\n{\"text\": \"b\"}\n", 3, "expected", "missing field 'label'")]
    [InlineData("data.csv", "text,label\n\"a, quoted\",x\nb,y,z\n", 3, null, "expected 2 columns")]
    [InlineData("data.csv", "text,label\nfine,x\nbro\"ken,y\n", 3, null, "stray quote")]
    [InlineData("data.csv", "text,label\n\"multi\nline\",x\n\"never closed,y\n", 4, null, "never closed")]
    [InlineData("data.csv", "text,label\n", null, null, "no records")]
    public void Malformed_data_names_file_line_and_field(string file, string content, int? line, string? field, string problem)
    {
        using var dir = new TempDir();
        var path = dir.Write(file, content);

        var error = Assert.Throws<InputException>(() => DatasetLoader.Load(path, Spec("text", "label")));

        Assert.Equal(path, error.File);
        Assert.Equal(line, error.Line);
        Assert.Equal(field, error.Field);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Csv_quoted_fields_may_hold_commas_quotes_and_newlines()
    {
        using var dir = new TempDir();
        var path = dir.Write("d.csv", "text,label\r\n\"a, \"\"b\"\"\nc\",x\r\nplain,y\r\n");

        var data = DatasetLoader.Load(path, Spec("text", "label"));

        Assert.Equal(["a, \"b\"\nc", "plain"], data.Items.Select(i => i.Input));
        Assert.Equal("d.csv:4", data.Items[1].Location);
    }

    [Fact]
    public void Stratified_sampling_keeps_label_shares_and_is_reproducible()
    {
        var data = DatasetLoader.Load(SharedData.Path("datasets", "banking77", "test.csv"), Spec("text", "category"));

        var sample = Sampler.Sample(data.Items, 154, seed: 7, stratify: true);
        var again = Sampler.Sample(data.Items, 154, seed: 7, stratify: true);
        var other = Sampler.Sample(data.Items, 154, seed: 8, stratify: true);

        Assert.Equal(154, sample.Count);
        Assert.All(sample.GroupBy(i => i.Expected[0]), g => Assert.Equal(2, g.Count()));
        Assert.Equal(sample.Select(i => i.Index), again.Select(i => i.Index));
        Assert.NotEqual(sample.Select(i => i.Index), other.Select(i => i.Index));
        Assert.Equal(sample.Select(i => i.Index).Order(), sample.Select(i => i.Index));
    }
}
