using System.Text.Json.Nodes;
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
    public void A_record_with_a_quoted_field_over_several_lines_is_named_by_its_first_line()
    {
        using var dir = new TempDir();
        var path = dir.Write("d.csv", "text,label\nfirst,x\n\"three\nline\nfield\",y\n\nlast,z\n");

        var data = DatasetLoader.Load(path, Spec("text", "label"));

        Assert.Equal(["first", "three\nline\nfield", "last"], data.Items.Select(i => i.Input));
        Assert.Equal(["d.csv:2", "d.csv:3", "d.csv:7"], data.Items.Select(i => i.Location));
    }

    [Fact]
    public void A_malformed_row_after_a_multi_line_field_is_an_error_naming_file_and_line()
    {
        using var dir = new TempDir();
        const string good = "text,label\n\"two\nlines\",x\nfine,y\n";
        var goodPath = dir.Write("good.csv", good);
        var badPath = dir.Write("bad.csv", good + "\"quoted\"tail,z\n");

        var loaded = DatasetLoader.Load(goodPath, Spec("text", "label"));
        var error = Assert.Throws<InputException>(() => DatasetLoader.Load(badPath, Spec("text", "label")));

        Assert.Equal(2, loaded.Items.Count);
        Assert.Equal((badPath, 5), (error.File, error.Line));
        Assert.StartsWith($"{badPath}:5: malformed CSV: a stray quote", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_csv_with_a_byte_order_mark_reads_its_first_column_and_bytes_that_are_not_utf8_are_bad_input()
    {
        using var dir = new TempDir();
        var bom = dir.Path("bom.csv");
        File.WriteAllBytes(bom, [0xEF, 0xBB, 0xBF, .. "text,label\nhello,x\n"u8]);
        var latin1 = dir.Path("latin1.csv");
        File.WriteAllBytes(latin1, [.. "text,label\ncaf"u8, 0xE9, .. ",x\n"u8]);

        var data = DatasetLoader.Load(bom, Spec("text", "label"));
        var error = Assert.Throws<InputException>(() => DatasetLoader.Load(latin1, Spec("text", "label")));

        Assert.Equal(("hello", "bom.csv:2"), (data.Items.Single().Input, data.Items.Single().Location));
        Assert.Equal(latin1, error.File);
        Assert.Contains("cannot read the data file", error.Message, StringComparison.Ordinal);
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
