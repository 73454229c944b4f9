using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdaptLab.Server.Tests;

/// <summary>Over-long input is refused before it reaches the model, and never holds up other requests.</summary>
[Collection(ServedStoriesCollection.Name)]
public sealed class LongInputTests(ServedStories served)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_prompt_longer_than_the_context_is_refused_while_a_small_request_completes(bool stream)
    {
        // 1 MB of text: tokenising it took over 14 minutes (quadratic merging) inside the model's queue.
        var huge = string.Concat(Enumerable.Repeat("Once upon a time, there was a little girl named Lily. She liked to play. ", 14_000));
        var longRequest = PostAsync(new { model = ServedStories.Name, messages = new[] { new { role = "user", content = huge } }, max_tokens = 4, temperature = 0, stream });
        var smallRequest = PostAsync(new { model = ServedStories.Name, messages = new[] { new { role = "user", content = "Once upon a time" } }, max_tokens = 4, temperature = 0 });

        var (smallStatus, small) = await smallRequest;
        var (longStatus, refusal) = await longRequest;

        Assert.Equal(HttpStatusCode.OK, smallStatus);
        Assert.False(string.IsNullOrEmpty((string?)small["choices"]![0]!["message"]!["content"]), small.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, longStatus);
        var error = refusal["error"]!;
        Assert.Equal("context_length_exceeded", (string?)error["code"]);
        Assert.Equal("messages", (string?)error["param"]);
        Assert.Equal("invalid_request_error", (string?)error["type"]);
        Assert.Contains("maximum context length is 512 tokens", (string?)error["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_the_8_MiB_cap_is_a_413_in_openais_error_json()
    {
        var content = new string('a', 9 * 1024 * 1024);

        // With Expect: 100-continue the server answers before the client sends the body it will not read.
        using var request = new HttpRequestMessage(HttpMethod.Post, served.Endpoint + "/chat/completions")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { model = ServedStories.Name, messages = new[] { new { role = "user", content } } }), Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        // The client's default wait for that answer is 1 s; on a busy machine it then sent the body into a closed connection (broken pipe).
        using var http = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromMinutes(2) });
        using var response = await http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_too_large", (string?)body["error"]!["code"]);
        Assert.Equal("invalid_request_error", (string?)body["error"]!["type"]);
        Assert.Contains("8388608 bytes", (string?)body["error"]!["message"], StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(object request)
    {
        using var response = await served.Http.PostAsync(served.Endpoint + "/chat/completions",
            new StringContent(JsonSerializer.Serialize(request), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonNode.Parse(text)!);
    }
}
