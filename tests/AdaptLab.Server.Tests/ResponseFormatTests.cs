using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdaptLab.Server.Tests;

/// <summary><c>response_format</c> reaches the engine's constrained decoding: even stories260K answers valid JSON.</summary>
[Collection(ServedStoriesCollection.Name)]
public sealed class ResponseFormatTests(ServedStories served)
{
    private const string PetSchema = """
        {
          "type": "object",
          "properties": {
            "name": { "type": "string", "maxLength": 12 },
            "age": { "type": "integer" },
            "kind": { "enum": ["cat", "dog"] }
          },
          "required": ["name", "age", "kind"],
          "additionalProperties": false
        }
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_json_schema_response_format_gives_json_with_the_required_fields(bool stream)
    {
        var format = new JsonObject
        {
            ["type"] = "json_schema",
            ["json_schema"] = new JsonObject { ["name"] = "pet", ["strict"] = true, ["schema"] = JsonNode.Parse(PetSchema) },
        };

        var content = await CompleteAsync("Lily had a pet. The pet", format, stream);

        var pet = JsonNode.Parse(content)!.AsObject();
        Assert.Equal(["age", "kind", "name"], pet.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(JsonValueKind.String, pet["name"]!.GetValueKind());
        Assert.True(((string)pet["name"]!).Length <= 12, content);
        Assert.Equal(JsonValueKind.Number, pet["age"]!.GetValueKind());
        Assert.Equal(Math.Floor((double)pet["age"]!), (double)pet["age"]!);
        Assert.Contains((string)pet["kind"]!, new[] { "cat", "dog" });
    }

    [Fact]
    public async Task A_json_object_response_format_gives_a_json_object()
    {
        var content = await CompleteAsync("Once upon a time", new JsonObject { ["type"] = "json_object" }, stream: false);

        Assert.IsType<JsonObject>(JsonNode.Parse(content));
    }

    [Theory]
    [InlineData("""{"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "string", "pattern": "a+"}}}""")]
    [InlineData("""{"type": "json_schema", "json_schema": {"schema": {"type": "object"}}}""")]
    [InlineData("""{"type": "xml"}""")]
    [InlineData("\"json\"")]
    public async Task A_response_format_the_engine_cannot_enforce_is_a_400_naming_it(string format)
    {
        var body = $$"""{"model": "{{ServedStories.Name}}", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 8, "response_format": {{format}}}""";
        using var response = await served.Http.PostAsync(served.Endpoint + "/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("response_format", (string?)JsonNode.Parse(text)!["error"]!["param"]);
    }

    private async Task<string> CompleteAsync(string prompt, JsonObject format, bool stream)
    {
        var request = new JsonObject
        {
            ["model"] = ServedStories.Name,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }),
            ["temperature"] = 0,
            ["max_tokens"] = 60,
            ["stream"] = stream,
            ["response_format"] = format,
        };
        using var response = await served.Http.PostAsync(served.Endpoint + "/chat/completions",
            new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        if (!stream)
        {
            return (string)JsonNode.Parse(text)!["choices"]![0]!["message"]!["content"]!;
        }

        return string.Concat(text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(e => e != "data: [DONE]")
            .Select(e => (string?)JsonNode.Parse(e["data: ".Length..])!["choices"]!.AsArray().FirstOrDefault()?["delta"]?["content"]));
    }
}
