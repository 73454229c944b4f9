using System.Collections.Concurrent;
using System.Collections.Specialized;
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
    private readonly Func<FakeCall, FakeReply?>? reply;
    private readonly CancellationTokenSource stopping = new();
    private readonly TimeProvider clock;
    private readonly long started;
    private readonly ConcurrentQueue<FakeRequest> requests = new();
    private Task? loop;
    private int calls;
    private int inFlight;
    private int maxInFlight;

    private FakeOpenAiServer(Func<string, string> answer, TimeSpan? delay, Func<string, int>? status, Func<FakeCall, FakeReply?>? reply, TimeProvider clock)
    {
        this.clock = clock;
        started = clock.GetTimestamp();
        this.answer = answer;
        this.delay = delay;
        this.status = status;
        this.reply = reply;
    }

    public string Endpoint { get; private set; } = string.Empty;

    public int Calls => calls;

    public IReadOnlyDictionary<string, int> CallsByPrompt => callsByPrompt;

    /// <summary>Every request in order of arrival, with the server's own timestamps.</summary>
    public IReadOnlyList<FakeRequest> Requests => [.. requests.OrderBy(r => r.Ordinal)];

    /// <summary>The most requests the server was handling at one moment.</summary>
    public int MaxInFlight => Volatile.Read(ref maxInFlight);

    /// <param name="answer">The reply to the last user message.</param>
    /// <param name="delay">Latency of every call.</param>
    /// <param name="status">HTTP status to return for a prompt instead of an answer (e.g. 400), or 200.</param>
    /// <param name="reply">Status and headers for one call (e.g. the first attempt gets 429 with Retry-After), or null for the usual reply.</param>
    /// <param name="clock">What <see cref="FakeRequest.Arrived"/> is read from: the client's virtual clock, for a test in virtual time; the system's when null.</param>
    public static Task<FakeOpenAiServer> StartAsync(
        Func<string, string> answer, TimeSpan? delay = null, Func<string, int>? status = null, Func<FakeCall, FakeReply?>? reply = null, TimeProvider? clock = null)
    {
        var server = new FakeOpenAiServer(answer, delay, status, reply, clock ?? TimeProvider.System);
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
            // InvalidOperationException: the loop first ran after Stop (a test that disposes at once).
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
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
            var arrived = clock.GetElapsedTime(started);
            var ordinal = Interlocked.Increment(ref calls);
            var attempt = callsByPrompt.AddOrUpdate(prompt, 1, (_, n) => n + 1);
            var current = Interlocked.Increment(ref inFlight);
            for (var seen = Volatile.Read(ref maxInFlight); current > seen; seen = Volatile.Read(ref maxInFlight))
            {
                Interlocked.CompareExchange(ref maxInFlight, current, seen);
            }

            try
            {
                var special = reply?.Invoke(new FakeCall(prompt, attempt, ordinal) { Body = body });
                var code = special?.Status ?? status?.Invoke(prompt) ?? 200;
                requests.Enqueue(new FakeRequest(ordinal, prompt, attempt, arrived, code, http.Request.Url!.AbsolutePath, http.Request.Headers)
                {
                    Messages = [.. body!["messages"]!.AsArray().Select(m => ((string)m!["role"]!, m["content"] is JsonValue c ? c.GetValue<string>() : string.Empty))],
                    Body = body,
                });
                if (delay is { } d)
                {
                    await Task.Delay(d);
                }

                await RespondAsync(http, body!, prompt, code, special?.Headers, special?.Body);
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client went away (e.g. the eval process was killed mid-call).
        }
    }

    private async Task RespondAsync(
        HttpListenerContext http, JsonNode body, string prompt, int code, IReadOnlyDictionary<string, string>? headers, string? raw)
    {
        string json;
        if (raw is not null)
        {
            json = raw;
        }
        else if (code != 200)
        {
            // Some servers echo the credentials they refused; the client must never store or print them.
            var message = $"fake failure (Authorization: {http.Request.Headers["Authorization"]})";
            json = JsonSerializer.Serialize(new { error = new { message, type = "invalid_request_error" } });
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
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            http.Response.AddHeader(name, value);
        }

        http.Response.StatusCode = code;
        http.Response.ContentType = "application/json";
        http.Response.ContentLength64 = bytes.Length;
        await http.Response.OutputStream.WriteAsync(bytes);
        http.Response.Close();
    }

    /// <summary>A chat completion reply (for <see cref="FakeReply.Body"/>) carrying <paramref name="message"/>.</summary>
    public static string Completion(JsonObject message, string finishReason = "stop") => new JsonObject
    {
        ["id"] = "chatcmpl-fake",
        ["object"] = "chat.completion",
        ["created"] = 1_700_000_000,
        ["model"] = "fake",
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = finishReason }),
        ["usage"] = new JsonObject { ["prompt_tokens"] = 10, ["completion_tokens"] = 1, ["total_tokens"] = 11 },
    }.ToJsonString();

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
        try
        {
            listener.Close();
        }
        catch (HttpListenerException)
        {
            // On Unix, Close after Stop looks the port up again and may bind it: "address already in use" when another
            // test's server took the port meanwhile. Stop has released it already.
        }
        if (loop is not null)
        {
            await loop;
        }

        stopping.Dispose();
    }
}

/// <summary>A call as the server sees it: <paramref name="Attempt"/> counts calls with this prompt, <paramref name="Ordinal"/> all calls (both from 1).</summary>
public sealed record FakeCall(string Prompt, int Attempt, int Ordinal)
{
    /// <summary>The request's JSON body (messages, tools, options).</summary>
    public JsonNode? Body { get; init; }
}

/// <summary>A reply other than the usual one: a status (200 answers as usual) and extra headers.</summary>
/// <param name="Body">The JSON to answer with instead of a completion of the prompt (a malformed reply), or null.</param>
public sealed record FakeReply(int Status, IReadOnlyDictionary<string, string>? Headers = null, string? Body = null);

/// <param name="Arrived">When the request arrived: time since the server started, on its clock.</param>
/// <param name="Path">The URL path, e.g. /v1/chat/completions.</param>
public sealed record FakeRequest(int Ordinal, string Prompt, int Attempt, TimeSpan Arrived, int Status, string Path, NameValueCollection Headers)
{
    /// <summary>Every message of the request as (role, text content).</summary>
    public IReadOnlyList<(string Role, string Content)> Messages { get; init; } = [];

    /// <summary>The request's JSON body.</summary>
    public JsonNode? Body { get; init; }
}
