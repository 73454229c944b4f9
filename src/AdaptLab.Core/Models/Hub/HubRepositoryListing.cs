using System.Text.Json;

namespace AdaptLab.Core.Models.Hub;

/// <summary>What <c>GET /api/models/{repo}/revision/{rev}</c> says: the commit and the files in it.</summary>
internal sealed record HubRepositoryListing(string Commit, IReadOnlyList<string> Files)
{
    public static HubRepositoryListing Parse(string json, HubModelId model)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var commit = root.GetProperty("sha").GetString() ?? string.Empty;
            if (!HubCommit.IsCommit(commit))
            {
                throw new FormatException($"'sha' is '{commit}', not a commit hash");
            }

            var files = root.GetProperty("siblings").EnumerateArray()
                .Select(s => s.GetProperty("rfilename").GetString() ?? string.Empty)
                .ToList();
            return new HubRepositoryListing(commit, files);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new HubDownloadException($"{model}: the hub's file listing is not what was expected ({e.Message}); is HF_ENDPOINT a Hugging Face hub?", e);
        }
    }
}
