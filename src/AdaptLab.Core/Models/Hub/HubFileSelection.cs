using System.Text.Json;

namespace AdaptLab.Core.Models.Hub;

/// <summary>The files of a repository a local model needs: its config, tokenizer and safetensors weights.</summary>
internal static class HubFileSelection
{
    public const string Config = "config.json";
    public const string SingleWeights = "model.safetensors";
    public const string WeightsIndex = "model.safetensors.index.json";

    private static readonly string[] OptionalFiles = ["generation_config.json", "tokenizer.json", "tokenizer_config.json"];

    /// <summary>The files to fetch first: the config, tokenizer files and the weights or their index.</summary>
    public static IReadOnlyList<string> Select(HubRepositoryListing listing, HubModelId model)
    {
        var present = listing.Files.ToHashSet(StringComparer.Ordinal);
        if (!present.Contains(Config))
        {
            throw new HubDownloadException($"{model} has no {Config}, so it is not a transformers model repository");
        }

        var weights = present.Contains(SingleWeights) ? SingleWeights
            : present.Contains(WeightsIndex) ? WeightsIndex
            : throw new HubDownloadException(
                $"{model} has no {SingleWeights} or {WeightsIndex}; only safetensors weights can be loaded " +
                $"(files: {string.Join(", ", listing.Files.Take(20))})");
        return [Config, .. OptionalFiles.Where(present.Contains), weights];
    }

    /// <summary>The shard files a <c>model.safetensors.index.json</c> names, each checked to be in the repository.</summary>
    public static IReadOnlyList<string> Shards(string indexPath, HubRepositoryListing listing, HubModelId model)
    {
        List<string> shards;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(indexPath));
            shards = document.RootElement.GetProperty("weight_map").EnumerateObject()
                .Select(p => p.Value.GetString() ?? string.Empty)
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new HubDownloadException($"{model}: {WeightsIndex} is not a safetensors index ({e.Message})", e);
        }

        var missing = shards.Where(s => !listing.Files.Contains(s)).ToList();
        return missing.Count == 0 && shards.Count > 0
            ? shards
            : throw new HubDownloadException(
                $"{model}: {WeightsIndex} names shards the repository does not have: {string.Join(", ", missing.DefaultIfEmpty("(none named)"))}");
    }

    /// <summary>
    /// Names come from the server and become paths under the cache: only plain relative paths are accepted,
    /// so a hostile listing cannot write outside the snapshot folder.
    /// </summary>
    public static string CheckedRelativePath(string name, HubModelId model)
    {
        var parts = name.Split('/');
        return name.Length > 0 && !name.Contains('\\') && !Path.IsPathRooted(name) && parts.All(p => p.Length > 0 && p != "." && p != "..")
            ? name
            : throw new HubDownloadException($"{model}: the hub named a file '{name}', which is not a plain relative path; refusing to write it");
    }
}
