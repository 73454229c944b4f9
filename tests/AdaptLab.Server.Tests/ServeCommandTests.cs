using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using AdaptLab.Cli;
using Spectre.Console;

namespace AdaptLab.Server.Tests;

public sealed class ServeCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("adaptlab-serve-").FullName;

    [Fact]
    public async Task Serves_a_model_named_in_a_task_file_under_that_name()
    {
        var task = WriteTask();
        var port = FreePort();
        using var stop = new CancellationTokenSource();
        var cli = new CapturedCli();
        var serving = cli.RunAsync(stop.Token, "serve", "tiny", "--task", task, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-embeddings");
        using var http = new HttpClient();

        var models = await PollAsync(http, $"http://127.0.0.1:{port}/v1/models", serving, cli);
        await stop.CancelAsync();

        Assert.Equal(["tiny"], models["data"]!.AsArray().Select(m => (string)m!["id"]!));
        Assert.Equal(ExitCodes.Ok, await serving);
        Assert.Contains($"serving tiny at http://127.0.0.1:{port}/v1", cli.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nonexistent-model", "no model 'nonexistent-model' (models: tiny)")]
    [InlineData("local:/no/such/folder", "cannot open local model '/no/such/folder'")]
    [InlineData("tiny --host example.org", "--host 'example.org' is not an IP address")]
    [InlineData("tiny --port 70000", "--port 70000 is not a TCP port")]
    [InlineData("tiny --host 0.0.0.0", "--host 0.0.0.0 is reachable from other machines, so serving on it needs an API key: pass --api-key KEY or set ADAPTLAB_SERVE_API_KEY")]
    [InlineData("martian:model", "unknown model provider 'martian'")]
    public async Task Bad_arguments_exit_2_with_the_reason(string arguments, string expected)
    {
        var task = WriteTask();
        var cli = new CapturedCli();

        var code = await cli.RunAsync(CancellationToken.None, ["serve", .. arguments.Split(' '), "--task", task, "--no-embeddings"]);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(expected, cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_an_api_key_every_route_needs_it_as_a_bearer_token()
    {
        var task = WriteTask();
        var port = FreePort();
        using var stop = new CancellationTokenSource();
        var cli = new CapturedCli();
        var serving = cli.RunAsync(stop.Token, "serve", "tiny", "--task", task, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-embeddings", "--api-key", "sk-test-123");
        var root = $"http://127.0.0.1:{port}/v1";
        using var http = new HttpClient();
        for (var i = 0; i < 600 && !cli.Output.Contains("serving tiny", StringComparison.Ordinal); i++)
        {
            Assert.False(serving.IsCompleted, $"serve exited: {cli.Output}{cli.Error}");
            await Task.Delay(200);
        }

        var chat = """{"model": "tiny", "messages": [{"role": "user", "content": "Once"}], "max_tokens": 2}""";
        foreach (var key in new string?[] { null, "sk-test-12", "sk-test-1234", "wrong" })
        {
            foreach (var (method, path) in new[] { (HttpMethod.Get, "/models"), (HttpMethod.Post, "/chat/completions"), (HttpMethod.Post, "/embeddings") })
            {
                using var request = new HttpRequestMessage(method, root + path);
                if (method == HttpMethod.Post)
                {
                    request.Content = new StringContent(chat, System.Text.Encoding.UTF8, "application/json");
                }

                if (key is not null)
                {
                    request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
                }

                using var response = await http.SendAsync(request);
                var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                Assert.Equal("invalid_api_key", (string?)error["code"]);
                Assert.Equal("invalid_request_error", (string?)error["type"]);
            }
        }

        using var authorized = new HttpRequestMessage(HttpMethod.Post, root + "/chat/completions") { Content = new StringContent(chat, System.Text.Encoding.UTF8, "application/json") };
        authorized.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "sk-test-123");
        using var ok = await http.SendAsync(authorized);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("API key required", cli.Output, StringComparison.Ordinal);
        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Ok, await serving);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("localhost", true)]
    [InlineData("::1", true)]
    [InlineData("0.0.0.0", false)]
    [InlineData("192.168.1.20", false)]
    public void Only_loopback_hosts_count_as_private(string host, bool loopback) =>
        Assert.Equal(loopback, new ServerOptions(host).IsLoopback);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string WriteTask()
    {
        File.WriteAllText(Path.Combine(folder, "data.jsonl"), """{"question": "Once upon a time", "answer": "there"}""" + "\n");
        File.WriteAllText(Path.Combine(folder, "prompt.liquid"), "{{ input }}");
        var task = Path.Combine(folder, "adaptlab.yaml");
        File.WriteAllText(task, $$"""
            name: serve-test
            task: generation
            data: { test: data.jsonl, fields: { input: question, expected: answer } }
            metrics: [exact_match]
            models:
              tiny: { ref: "local:{{ServedStories.ModelDirectory}}" }
            defaults: { model: tiny }
            variants:
              - { name: plain, prompt: prompt.liquid }
            """);
        return task;
    }

    private static async Task<JsonNode> PollAsync(HttpClient http, string url, Task<int> serving, CapturedCli cli)
    {
        for (var i = 0; i < 600; i++)
        {
            Assert.False(serving.IsCompleted, $"serve exited: {cli.Output}{cli.Error}");
            try
            {
                return JsonNode.Parse(await http.GetStringAsync(url))!;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200);
            }
        }

        throw new TimeoutException($"serve did not answer: {cli.Output}{cli.Error}");
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private sealed class CapturedCli
    {
        private readonly StringWriter output = new();
        private readonly StringWriter error = new();

        public string Output => output.ToString();

        public string Error => error.ToString();

        public Task<int> RunAsync(CancellationToken cancellationToken, params string[] args)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
            console.Profile.Width = 240;
            return CliApp.RunAsync(args, new CliContext(console, error, CliContext.DefaultProviders(), Interactive: false), cancellationToken);
        }
    }
}
