using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdaptLab.Tests.Fakes;

/// <summary>
/// A real HTTP server on 127.0.0.1 speaking the OpenAI chat-completions protocol, answering with a
/// function of the prompt. It stands in for a model server in tests and counts every call it gets.
/// (HttpListener rather than Kestrel: the CLI started from the test folder must not need ASP.NET.)
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentDictionary<string, int> callsByPrompt = new();
    private readonly Func<string, string> answer;
    private readonly TimeSpan? delay;
    private readonly Func<string, int>? status;
    private readonly CancellationTokenSource stopping = new();
    private Task? loop;
    private int calls;

    private FakeOpenAiServer(Func<string, string> answer, TimeSpan? delay, Func<string, int>? status)
    {
        this.answer = answer;
        this.delay = delay;
        this.status = status;
    }

    public string Endpoint { get; private set; } = string.Empty;

    public int Calls => calls;

    public IReadOnlyDictionary<string, int> CallsByPrompt => callsByPrompt;

    /// <param name="answer">The reply to the last user message.</param>
    /// <param name="delay">Latency of every call.</param>
    /// <param name="status">HTTP status to return for a prompt instead of an answer (e.g. 400), or 200.</param>
    public static Task<FakeOpenAiServer> StartAsync(Func<string, string> answer, TimeSpan? delay = null, Func<string, int>? status = null)
    {
        var server = new FakeOpenAiServer(answer, delay, status);
        var port = FreePort();
        server.listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        server.listener.Start();
        server.Endpoint = $"http://127.0.0.1:{port}/v1";
        server.loop = Task.Run(server.AcceptAsync);
        return Task.FromResult(server);
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext http)
    {
        try
        {
            var body = await JsonNode.ParseAsync(http.Request.InputStream);
            var prompt = body!["messages"]!.AsArray().Last()!["content"] switch
            {
                JsonValue v => v.GetValue<string>(),
                JsonArray parts => string.Concat(parts.Select(p => p!["text"]?.GetValue<string>())),
                _ => string.Empty,
            };
            Interlocked.Increment(ref calls);
            callsByPrompt.AddOrUpdate(prompt, 1, (_, n) => n + 1);
            if (delay is { } d)
            {
                await Task.Delay(d);
            }

            var code = status?.Invoke(prompt) ?? 200;
            string json;
            if (code != 200)
            {
                json = """{"error":{"message":"fake failure","type":"invalid_request_error"}}""";
            }
            else
            {
                var text = answer(prompt);
                json = JsonSerializer.Serialize(new
                {
                    id = "chatcmpl-fake",
                    @object = "chat.completion",
                    created = 1_700_000_000,
                    model = body["model"]!.GetValue<string>(),
                    choices = new[] { new { index = 0, message = new { role = "assistant", content = text }, finish_reason = "stop" } },
                    usage = new { prompt_tokens = prompt.Length / 4, completion_tokens = Math.Max(1, text.Length / 4), total_tokens = (prompt.Length / 4) + Math.Max(1, text.Length / 4) },
                });
            }

            var bytes = Encoding.UTF8.GetBytes(json);
            http.Response.StatusCode = code;
            http.Response.ContentType = "application/json";
            http.Response.ContentLength64 = bytes.Length;
            await http.Response.OutputStream.WriteAsync(bytes);
            http.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client went away (e.g. the eval process was killed mid-call).
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        listener.Close();
        if (loop is not null)
        {
            await loop;
        }

        stopping.Dispose();
    }
}
