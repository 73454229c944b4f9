using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AdaptLab.Server.Api;

/// <summary><c>POST /v1/embeddings</c>: <c>input</c> a string or an array of strings; floats or base64.</summary>
internal sealed class EmbeddingsEndpoint(ServedModels models)
{
    public async Task HandleAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        var body = await RequestBody.ReadAsync(http.Request, ct);
        var model = body.RequiredString("model");
        if (models.Embeddings is not { } generator || model != models.EmbeddingModelName)
        {
            throw ApiException.UnknownModel(model, models.EmbeddingModelName is { } name ? [name] : ["no embedding model"]);
        }

        var inputs = Inputs(body["input"]);
        var base64 = (body.OptionalString("encoding_format") ?? "float") switch
        {
            "float" => false,
            "base64" => true,
            var other => throw ApiException.BadRequest($"'encoding_format' is '{other}'; expected float or base64.", "encoding_format"),
        };
        var generated = await generator.GenerateAsync(inputs, cancellationToken: ct);
        if (body.OptionalInteger("dimensions", 1) is { } dimensions && dimensions != generated[0].Dimensions)
        {
            throw ApiException.BadRequest($"'{model}' makes {generated[0].Dimensions}-dimensional embeddings, not {dimensions}.", "dimensions");
        }

        var data = generated.Select((e, i) => new EmbeddingEntry(i, base64 ? Convert.ToBase64String(MemoryMarshal.AsBytes(e.Vector.Span)) : e.Vector.ToArray())).ToList();
        var tokens = generated.Usage?.InputTokenCount ?? 0;
        await Json.WriteAsync(http.Response, 200, new EmbeddingList(data, model, new EmbeddingUsage(tokens, tokens)), ct);
    }

    private static List<string> Inputs(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        JsonArray { Count: > 0 } a when a.All(s => s is JsonValue v && v.GetValueKind() == JsonValueKind.String) => a.Select(s => s!.GetValue<string>()).ToList(),
        _ => throw ApiException.BadRequest("'input' must be a string or a non-empty array of strings (token arrays are not supported).", "input"),
    };
}
