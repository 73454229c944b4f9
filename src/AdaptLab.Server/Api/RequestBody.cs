using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AdaptLab.Server.Api;

/// <summary>Reads a request's JSON fields, refusing wrong types and ranges with a 400 that names the field.</summary>
internal sealed class RequestBody(JsonObject body)
{
    public static async Task<RequestBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"The request body is not valid JSON: {e.Message}");
        }

        return node is JsonObject body
            ? new RequestBody(body)
            : throw ApiException.BadRequest("The request body must be a JSON object.");
    }

    public JsonNode? this[string name] => body[name];

    /// <summary>Every field as sent, null values included.</summary>
    public IEnumerable<KeyValuePair<string, JsonNode?>> Fields => body;

    public string RequiredString(string name) =>
        OptionalString(name) ?? throw ApiException.BadRequest($"'{name}' is required.", name);

    public string? OptionalString(string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw ApiException.BadRequest($"'{name}' must be a string.", name),
    };

    public bool? OptionalBool(string name) => body[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw ApiException.BadRequest($"'{name}' must be true or false.", name),
    };

    public double? OptionalNumber(string name, double min, double max, bool minExclusive = false)
    {
        if (body[name] is null)
        {
            return null;
        }

        var value = Number(name);
        return (minExclusive ? value > min : value >= min) && value <= max
            ? value
            : throw ApiException.BadRequest($"'{name}' must be {(minExclusive ? "above" : "at least")} {min} and at most {max}, not {value}.", name);
    }

    public long? OptionalInteger(string name, long min)
    {
        if (body[name] is null)
        {
            return null;
        }

        var value = Number(name);
        return value == Math.Floor(value) && value >= min && value <= long.MaxValue
            ? (long)value
            : throw ApiException.BadRequest($"'{name}' must be an integer of at least {min}, not {value}.", name);
    }

    private double Number(string name) => body[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number
        ? v.GetValue<double>()
        : throw ApiException.BadRequest($"'{name}' must be a number.", name);
}
