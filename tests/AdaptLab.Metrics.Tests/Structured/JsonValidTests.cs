namespace AdaptLab.Metrics.Tests.Structured;

public class JsonValidTests
{
    [Fact]
    public void Accepts_any_single_json_value_and_says_where_parsing_failed()
    {
        var value = MetricCatalog.Create("json_valid").Compute([
            MetricItem.Single("""{"time": "7pm"}""", ""),
            MetricItem.Single(" [1, 2] ", ""),
            MetricItem.Single("""{"time": "7pm",}""", ""),
            MetricItem.Single("", ""),
            MetricItem.Single("```json\n{}\n```", ""),
        ]);

        Assert.Equal([1, 1, 0, 0, 0], value.PerItem!);
        Assert.Equal(0.4, value.Value, 1e-15);
        Assert.Equal("not JSON: The JSON object contains a trailing comma at the end which is not supported in this mode. Change the reader options at line 1, position 16", value.Reasons![2]);
        Assert.StartsWith("not JSON: The input does not contain any JSON tokens", value.Reasons[3]);
        Assert.EndsWith("(the output is a ```json fenced block; set allow_fence: true to accept it)", value.Reasons[4]);
    }

    [Fact]
    public void Allow_fence_reads_the_first_fenced_block()
    {
        var metric = MetricCatalog.Create("json_valid", FieldScoreTests.Options(("allow_fence", "yes")));

        var value = metric.Compute([
            MetricItem.Single("Sure!\n```json\n{\"a\": 1}\n```\nAnything else?", ""),
            MetricItem.Single("```\n[1,]\n```", ""),
        ]);

        Assert.Equal([1, 0], value.PerItem!);
    }

    [Fact]
    public void Rejects_a_malformed_option()
    {
        Assert.Contains("allow_fence", Assert.Throws<ArgumentException>(
            () => MetricCatalog.Create("json_valid", FieldScoreTests.Options(("allow_fence", "maybe")))).Message);
    }
}
