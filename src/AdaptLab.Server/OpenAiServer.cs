using AdaptLab.Server.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AdaptLab.Server;

/// <summary>
/// An OpenAI-compatible HTTP server on Kestrel: <c>GET /v1/models</c>, <c>POST /v1/chat/completions</c>
/// (whole or streamed) and <c>POST /v1/embeddings</c>, and with fine-tuning on, <c>/v1/files</c> and <c>/v1/fine_tuning/jobs</c>. Refusals use OpenAI's error JSON. With an API key
/// every route checks it; bodies over <see cref="ServerOptions.MaxRequestBodyBytes"/> get a 413.
/// </summary>
public sealed class OpenAiServer : IAsyncDisposable
{
    private static readonly HashSet<string> Routes = new(StringComparer.Ordinal) { "/v1/models", "/v1/chat/completions", "/v1/embeddings", "/v1/files", "/v1/fine_tuning/jobs" };

    private readonly WebApplication app;

    private OpenAiServer(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The API root, e.g. <c>http://127.0.0.1:8000/v1</c>, with the real port when 0 was asked for.</summary>
    public Uri BaseAddress { get; }

    /// <exception cref="ArgumentException">The host or port is not valid.</exception>
    /// <exception cref="IOException">The address is in use or cannot be bound.</exception>
    public static async Task<OpenAiServer> StartAsync(ServedModels models, ServerOptions options, CancellationToken cancellationToken = default)
    {
        options.Validate();
        // The empty builder reads no appsettings.json, environment or command line, and logs nothing.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Listen(options.Address, options.Port);
            k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
        });
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.Use((http, next) => RefusalsAsErrorJson(http, next, options.MaxRequestBodyBytes));
        if (options.ApiKey is { } key)
        {
            app.Use(new ApiKeyCheck(key).InvokeAsync);
        }

        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        app.MapGet("/v1/models", http => Json.WriteAsync(http.Response, 200, new ModelList(
            models.ChatModelNames.Append(models.EmbeddingModelName).OfType<string>().Select(id => new ModelEntry(id, created, "adaptlab")).ToList()),
            http.RequestAborted));
        app.MapPost("/v1/chat/completions", new ChatCompletionEndpoint(models).HandleAsync);
        app.MapPost("/v1/embeddings", new EmbeddingsEndpoint(models).HandleAsync);
        var routes = "GET /v1/models, POST /v1/chat/completions and POST /v1/embeddings";
        if (models.FineTuning is { } jobs)
        {
            var files = new FilesEndpoint(jobs);
            var tuning = new FineTuningEndpoint(jobs);
            app.MapPost("/v1/files", files.UploadAsync);
            app.MapGet("/v1/files/{id}", (HttpContext http, string id) => files.GetAsync(http, id));
            app.MapPost("/v1/fine_tuning/jobs", tuning.CreateAsync);
            app.MapGet("/v1/fine_tuning/jobs", tuning.ListAsync);
            app.MapGet("/v1/fine_tuning/jobs/{id}", (HttpContext http, string id) => tuning.GetAsync(http, id));
            app.MapGet("/v1/fine_tuning/jobs/{id}/events", (HttpContext http, string id) => tuning.EventsAsync(http, id));
            app.MapPost("/v1/fine_tuning/jobs/{id}/cancel", (HttpContext http, string id) => tuning.CancelAsync(http, id));
            routes = "GET /v1/models, POST /v1/chat/completions, POST /v1/embeddings, POST /v1/files and the /v1/fine_tuning/jobs routes";
        }

        app.MapFallback(http => throw new ApiException(
            Routes.Contains(http.Request.Path.Value ?? string.Empty) ? 405 : 404,
            $"No route {http.Request.Method} {http.Request.Path}; this server has {routes}."));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new OpenAiServer(app, new Uri(address.TrimEnd('/') + "/v1"));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static async Task RefusalsAsErrorJson(HttpContext http, RequestDelegate next, long maxBodyBytes)
    {
        try
        {
            await next(http);
        }
        catch (ApiException e) when (!http.Response.HasStarted)
        {
            await Json.WriteErrorAsync(http.Response, e, http.RequestAborted);
        }
        catch (BadHttpRequestException e) when (!http.Response.HasStarted && e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await Json.WriteErrorAsync(http.Response, new ApiException(413,
                $"The request body is larger than the {maxBodyBytes} bytes this server accepts (adaptlab serve --max-request-bytes).",
                code: "request_too_large"), http.RequestAborted);
        }
        catch (Exception e) when (!http.Response.HasStarted && e is not OperationCanceledException)
        {
            await Json.WriteErrorAsync(http.Response, new ApiException(500, $"The model failed: {e.GetType().Name}: {e.Message}"), http.RequestAborted);
        }
    }
}
