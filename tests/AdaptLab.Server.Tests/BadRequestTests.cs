using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace AdaptLab.Server.Tests;

[Collection(ServedStoriesCollection.Name)]
public sealed class BadRequestTests(ServedStories served)
{
    private const string Hello = """[{"role": "user", "content": "hello"}]""";

    [Theory]
    [InlineData("/chat/completions", "{not json", 400, null, null)]
    [InlineData("/chat/completions", "[1, 2]", 400, null, null)]
    [InlineData("/chat/completions", """{"messages": [{"role": "user", "content": "hi"}]}""", 400, "model", null)]
    [InlineData("/chat/completions", """{"model": "stories", "messages": []}""", 400, "messages", null)]
    [InlineData("/chat/completions", """{"model": "stories", "messages": [{"role": "wizard", "content": "hi"}]}""", 400, "messages", null)]
    [InlineData("/chat/completions", """{"model": "stories", "messages": [{"role": "user", "content": [{"type": "image_url"}]}]}""", 400, "messages", null)]
    [InlineData("/chat/completions", """{"model": "stories", "messages": MESSAGES, "temperature": 3}""", 400, "temperature", null)]
    [InlineData("/chat/completions", """{"model": "stories", "messages": MESSAGES, "top_p": 0}""", 400, "top_p", null)]
    [InlineData("/chat/completions", """{"model": "stories", "messages": MESSAGES, "max_tokens": 0}""", 400, "max_tokens", null)]
    [InlineData("/chat/completions", """{"model": "stories", "messages": MESSAGES, "max_completion_tokens": 1.5}""", 400, "max_completion_tokens", null)]
    [InlineData("/chat/completions", """{"model": "stories", "messages": MESSAGES, "stop": ["a", "b", "c", "d", "e"]}""", 400, "stop", null)]
    [InlineData("/chat/completions", """{"model": "stories", "messages": MESSAGES, "stop": 7}""", 400, "stop", null)]
    [InlineData("/chat/completions", """{"model": "stories", "messages": MESSAGES, "n": 2}""", 400, "n", null)]
    [InlineData("/chat/completions", """{"model": "stories", "messages": MESSAGES, "stream": "yes"}""", 400, "stream", null)]
    [InlineData("/chat/completions", """{"model": "stories", "messages": MESSAGES, "logprobs": true}""", 400, "logprobs", "unsupported_parameter")]
    [InlineData("/chat/completions", """{"model": "stories", "messages": MESSAGES, "top_logprobs": 3}""", 400, "top_logprobs", "unsupported_parameter")]
    [InlineData("/chat/completions", """{"model": "stories", "messages": MESSAGES, "frequency_penalty": 0.5}""", 400, "frequency_penalty", "unsupported_parameter")]
    [InlineData("/chat/completions", """{"model": "stories", "messages": MESSAGES, "presence_penalty": -1}""", 400, "presence_penalty", "unsupported_parameter")]
    [InlineData("/chat/completions", """{"model": "stories", "messages": MESSAGES, "logit_bias": {"50": 10}}""", 400, "logit_bias", "unsupported_parameter")]
    [InlineData("/chat/completions", """{"model": "stories", "messages": MESSAGES, "tools": [{"type": "function"}]}""", 400, "tools", null)]
    [InlineData("/chat/completions", """{"model": "stories", "messages": MESSAGES, "tools": [{"type": "function", "function": {"name": "f", "parameters": 3}}]}""", 400, "tools", null)]
    [InlineData("/chat/completions", """{"model": "stories", "messages": MESSAGES, "tool_choice": "always"}""", 400, "tool_choice", null)]
    [InlineData("/chat/completions", """{"model": "stories", "messages": MESSAGES, "stream": true, "tools": [{"type": "function", "function": {"name": "f"}}]}""", 400, "stream", null)]
    [InlineData("/chat/completions", """{"model": "stories", "messages": MESSAGES, "functions": [{"name": "f"}]}""", 400, "functions", "unsupported_parameter")]
    [InlineData("/chat/completions", """{"model": "stories", "messages": MESSAGES, "audio": {"voice": "alloy"}}""", 400, "audio", "unsupported_parameter")]
    [InlineData("/chat/completions", """{"model": "stories", "messages": MESSAGES, "repetition_penalty": 1.1}""", 400, "repetition_penalty", "unknown_parameter")]
    [InlineData("/chat/completions", """{"model": "gpt-4o", "messages": MESSAGES}""", 404, "model", "model_not_found")]
    [InlineData("/embeddings", """{"model": "all-MiniLM-L6-v2", "input": [1, 2, 3]}""", 400, "input", null)]
    [InlineData("/embeddings", """{"model": "all-MiniLM-L6-v2", "input": []}""", 400, "input", null)]
    [InlineData("/embeddings", """{"model": "all-MiniLM-L6-v2", "input": "x", "dimensions": 512}""", 400, "dimensions", null)]
    [InlineData("/embeddings", """{"model": "text-embedding-3-small", "input": "x"}""", 404, "model", "model_not_found")]
    [InlineData("/completions", """{"model": "stories", "prompt": "x"}""", 404, null, null)]
    public async Task Refusals_use_openais_error_json_and_status(string path, string body, int status, string? param, string? code)
    {
        using var response = await served.Http.PostAsync(served.Endpoint + path,
            new StringContent(body.Replace("MESSAGES", Hello, StringComparison.Ordinal), Encoding.UTF8, "application/json"));

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonNode.Parse(text)!["error"]!.AsObject();
        Assert.False(string.IsNullOrWhiteSpace((string?)error["message"]), text);
        Assert.Equal(status == 400 ? "invalid_request_error" : code is null ? "not_found_error" : "invalid_request_error", (string?)error["type"]);
        Assert.Equal(param, (string?)error["param"]);
        Assert.Equal(code, (string?)error["code"]);
        Assert.True(error.ContainsKey("param") && error.ContainsKey("code"), text);
    }

    [Fact]
    public async Task Unimplemented_parameters_at_their_neutral_values_are_accepted()
    {
        const string Plain = """{"model": "stories", "messages": MESSAGES, "temperature": 0, "max_tokens": 8}""";
        const string Neutral = """
            {"model": "stories", "messages": MESSAGES, "temperature": 0, "max_tokens": 8, "n": 1, "logprobs": false,
             "top_logprobs": null, "frequency_penalty": 0, "presence_penalty": 0, "logit_bias": {}, "tools": [],
             "tool_choice": "none", "user": "u-1", "metadata": {"run": "x"}, "store": false}
            """;

        var plain = await ContentAsync(Plain);
        var neutral = await ContentAsync(Neutral);

        Assert.Equal(plain, neutral);
    }

    [Fact]
    public async Task A_chat_route_asked_with_the_wrong_method_is_405()
    {
        using var response = await served.Http.GetAsync(served.Endpoint + "/chat/completions");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    private async Task<string> ContentAsync(string body)
    {
        using var response = await served.Http.PostAsync(served.Endpoint + "/chat/completions",
            new StringContent(body.Replace("MESSAGES", Hello, StringComparison.Ordinal), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return (string)JsonNode.Parse(text)!["choices"]![0]!["message"]!["content"]!;
    }
}
