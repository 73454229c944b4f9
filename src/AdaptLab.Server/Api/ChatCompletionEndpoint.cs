using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;

namespace AdaptLab.Server.Api;

/// <summary><c>POST /v1/chat/completions</c>, whole or streamed as server-sent events ending with <c>data: [DONE]</c>.</summary>
internal sealed class ChatCompletionEndpoint(ServedModels models)
{
    public async Task HandleAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        var request = ChatCompletionRequest.Parse(await RequestBody.ReadAsync(http.Request, ct));
        var chat = models.ChatFor(request.Model) ?? throw ApiException.UnknownModel(request.Model, models.ChatModelNames);

        var id = "chatcmpl-" + Guid.NewGuid().ToString("N");
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (!request.Stream)
        {
            var response = await Generate(() => chat.GetResponseAsync(request.Messages, request.Options, ct));
            var choice = new ChatChoice(0, Message(response), FinishReason(response.FinishReason) ?? "stop");
            await Json.WriteAsync(http.Response, 200, new ChatCompletion(id, created, request.Model, [choice], Usage(response.Usage)), ct);
            return;
        }

        await StreamAsync(http, chat, request, id, created);
    }

    private static async Task StreamAsync(HttpContext http, IChatClient chat, ChatCompletionRequest request, string id, long created)
    {
        var ct = http.RequestAborted;
        await using var updates = chat.GetStreamingResponseAsync(request.Messages, request.Options, ct).GetAsyncEnumerator(ct);
        // The first step runs before any byte is sent, so a request the model refuses still gets a plain 400.
        var more = await Generate(() => updates.MoveNextAsync().AsTask());
        var response = http.Response;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        await SendAsync(response, Chunk(id, created, request.Model, new Delta(Role: "assistant", Content: string.Empty), null), ct);
        UsageDetails? usage = null;
        string? finish = null;
        while (more)
        {
            var update = updates.Current;
            if (update.Text.Length > 0)
            {
                await SendAsync(response, Chunk(id, created, request.Model, new Delta(Content: update.Text), null), ct);
            }

            finish = FinishReason(update.FinishReason) ?? finish;
            usage = update.Contents.OfType<UsageContent>().FirstOrDefault()?.Details ?? usage;
            more = await updates.MoveNextAsync();
        }

        await SendAsync(response, Chunk(id, created, request.Model, new Delta(), finish ?? "stop"), ct);
        if (request.IncludeUsage)
        {
            await SendAsync(response, new ChatCompletionChunk(id, created, request.Model, [], Usage(usage) ?? new UsageBody(0, 0, 0)), ct);
        }

        await response.WriteAsync("data: [DONE]\n\n", ct);
    }

    private static AssistantMessage Message(ChatResponse response)
    {
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>()
            .Select(c => new ToolCallBody(c.CallId, new FunctionCallBody(c.Name, JsonSerializer.Serialize(c.Arguments ?? new Dictionary<string, object?>(), Wire.Options))))
            .ToList();
        return calls.Count == 0 ? new AssistantMessage(response.Text) : new AssistantMessage(response.Text.Length > 0 ? response.Text : null, calls);
    }

    private static ChatCompletionChunk Chunk(string id, long created, string model, Delta delta, string? finish) =>
        new(id, created, model, [new ChunkChoice(0, delta, finish)]);

    private static async Task SendAsync(HttpResponse response, ChatCompletionChunk chunk, CancellationToken ct)
    {
        await response.WriteAsync("data: " + JsonSerializer.Serialize(chunk, Wire.Options) + "\n\n", ct);
        await response.Body.FlushAsync(ct);
    }

    /// <summary>
    /// Options the model rejects are the caller's mistake: 400. A model names the request field at fault as the
    /// exception's ParamName (the in-process engine does): <c>messages</c> for a prompt longer than its context
    /// (OpenAI's <c>context_length_exceeded</c>), <c>response_format</c> for a schema it cannot enforce.
    /// </summary>
    private static async Task<T> Generate<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (ArgumentException e)
        {
            throw e.ParamName switch
            {
                "messages" => new ApiException(400, e.Message, "messages", "context_length_exceeded"),
                "response_format" => ApiException.BadRequest(e.Message, "response_format"),
                _ => ApiException.BadRequest(e.Message),
            };
        }
    }

    private static string? FinishReason(ChatFinishReason? reason) => reason switch
    {
        null => null,
        { } r when r == ChatFinishReason.Length => "length",
        { } r when r == ChatFinishReason.ContentFilter => "content_filter",
        { } r when r == ChatFinishReason.ToolCalls => "tool_calls",
        _ => "stop",
    };

    private static UsageBody? Usage(UsageDetails? usage) => usage is null ? null
        : new UsageBody(usage.InputTokenCount ?? 0, usage.OutputTokenCount ?? 0, usage.TotalTokenCount ?? ((usage.InputTokenCount ?? 0) + (usage.OutputTokenCount ?? 0)));
}
