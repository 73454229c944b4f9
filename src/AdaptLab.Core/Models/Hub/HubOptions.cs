namespace AdaptLab.Core.Models.Hub;

/// <summary>
/// Where models come from and go. <see cref="Token"/> is sent only to <see cref="Endpoint"/>'s host as a
/// Bearer header; it is never written to disk and <see cref="ToString"/> leaves it out.
/// </summary>
/// <param name="OfflineDirectory">Searched first for <c>org/name</c> folders holding the files; no request is made when found.</param>
internal sealed record HubOptions(Uri Endpoint, string CacheDirectory, string? OfflineDirectory = null, string? Token = null)
{
    public static readonly Uri DefaultEndpoint = new("https://huggingface.co");

    /// <summary>How many times a file transfer that broke off is resumed before giving up.</summary>
    public int Retries { get; init; } = 3;

    /// <summary>A transfer that receives nothing for this long counts as broken off.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>HF_ENDPOINT, HF_TOKEN, ADAPTLAB_CACHE and ADAPTLAB_MODELS_DIR, with the hub's defaults.</summary>
    public static HubOptions FromEnvironment()
    {
        var endpoint = Variable("HF_ENDPOINT") is { } e
            ? Uri.TryCreate(e.TrimEnd('/'), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? uri
                : throw new FormatException($"HF_ENDPOINT '{e}' is not an http(s) URL")
            : DefaultEndpoint;
        var cache = Variable("ADAPTLAB_CACHE")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "adaptlab", "models");
        return new HubOptions(endpoint, cache, Variable("ADAPTLAB_MODELS_DIR"), Variable("HF_TOKEN"));
    }

    public override string ToString() =>
        $"HubOptions {{ Endpoint = {Endpoint}, CacheDirectory = {CacheDirectory}, OfflineDirectory = {OfflineDirectory}, Token = {(Token is null ? "none" : "set")} }}";

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
