namespace AdaptLab.Server.Api;

/// <summary>A request the server refuses, answered with OpenAI's error JSON and <see cref="Status"/>.</summary>
internal sealed class ApiException(int status, string message, string? param = null, string? code = null) : Exception(message)
{
    public int Status { get; } = status;

    public string? Param { get; } = param;

    public string? Code { get; } = code;

    public string Type => Status switch
    {
        >= 500 => "server_error",
        404 when Code == "model_not_found" => "invalid_request_error",
        404 => "not_found_error",
        _ => "invalid_request_error",
    };

    public static ApiException BadRequest(string message, string? param = null) => new(400, message, param);

    public static ApiException UnknownModel(string model, IEnumerable<string> served) =>
        new(404, $"The model '{model}' does not exist on this server; it serves: {string.Join(", ", served)}.", "model", "model_not_found");
}
