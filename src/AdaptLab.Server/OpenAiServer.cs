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
/// (whole or streamed) and <c>POST /v1/embeddings</c>. Refusals use OpenAI's error JSON. With an API key
/// every route checks it; bodies over <see cref="ServerOptions.MaxRequestBodyBytes"/> get a 413.
/// </summary>
public sealed class OpenAiServer : IAsyncDisposable
{
    private static readonly HashSet<string> Routes = new(StringComparer.Ordinal) { "/v1/models", "/v1/chat/completions", "/v1/embeddings" };

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
            new[] { models.ChatModelName, models.EmbeddingModelName }.OfType<string>().Select(id => new ModelEntry(id, created, "adaptlab")).ToList()),
            http.RequestAborted));
        app.MapPost("/v1/chat/completions", new ChatCompletionEndpoint(models).HandleAsync);
        app.MapPost("/v1/embeddings", new EmbeddingsEndpoint(models).HandleAsync);
        app.MapFallback(http => throw new ApiException(
            Routes.Contains(http.Request.Path.Value ?? string.Empty) ? 405 : 404,
            $"No route {http.Request.Method} {http.Request.Path}; this server has GET /v1/models, POST /v1/chat/completions and POST /v1/embeddings."));
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
