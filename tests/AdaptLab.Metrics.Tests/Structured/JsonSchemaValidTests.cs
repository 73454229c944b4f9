namespace AdaptLab.Metrics.Tests.Structured;

public class JsonSchemaValidTests
{
    private const string ReservationSchema = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "properties": {
            "people": { "type": "integer", "minimum": 1 },
            "time": { "type": "string" },
            "date": { "type": "string" }
          },
          "required": ["people"],
          "additionalProperties": false
        }
        """;

    [Fact]
    public void Validates_outputs_against_an_inline_schema()
    {
        var metric = MetricCatalog.Create("json_schema", FieldScoreTests.Options(("schema", ReservationSchema)));

        var value = metric.Compute([
            MetricItem.Single("""{"people": 4, "time": "7pm"}""", ""),
            MetricItem.Single("""{"people": "4"}""", ""),
            MetricItem.Single("""{"time": "7pm", "table": 3}""", ""),
            MetricItem.Single("""{"people": 4""", ""),
        ]);

        Assert.Equal([1, 0, 0, 0], value.PerItem!);
        Assert.Null(value.Reasons![0]);
        Assert.StartsWith("schema: at '/people': ", value.Reasons[1]);
        Assert.Contains("integer", value.Reasons[1]);
        Assert.Contains("people", value.Reasons[2]);
        Assert.Contains("table", value.Reasons[2]);
        Assert.StartsWith("not JSON: ", value.Reasons[3]);
    }

    [Fact]
    public void Reads_the_schema_from_a_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"adaptlab-schema-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, ReservationSchema);
        try
        {
            var metric = MetricCatalog.Create("json_schema", FieldScoreTests.Options(("schema_path", path)));
            Assert.Equal(1, metric.Compute([MetricItem.Single("""{"people": 2}""", "")]).Value);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Names_what_is_wrong_with_the_schema_options()
    {
        Assert.Contains("exactly one of", Assert.Throws<ArgumentException>(() => MetricCatalog.Create("json_schema")).Message);
        Assert.Contains("does not exist", Assert.Throws<ArgumentException>(
            () => MetricCatalog.Create("json_schema", FieldScoreTests.Options(("schema_path", "/nonexistent/schema.json")))).Message);
        Assert.Contains("not a valid JSON Schema", Assert.Throws<FormatException>(
            () => MetricCatalog.Create("json_schema", FieldScoreTests.Options(("schema", "{\"type\": 5}")))).Message);
    }
}
