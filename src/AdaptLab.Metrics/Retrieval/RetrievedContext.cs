using System.Text.Json;

namespace AdaptLab.Metrics.Retrieval;

/// <summary>The chunks a prediction's retrieve step put into its prompt, in rank order, read from the stored context.</summary>
public static class RetrievedContext
{
    /// <returns>Null when the prediction had no retrieve step.</returns>
    public static IReadOnlyList<RetrievedPassage>? Chunks(string? context)
    {
        if (context is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(context);
        if (!document.RootElement.TryGetProperty("chunks", out var chunks))
        {
            return null;
        }

        return [.. chunks.EnumerateArray().Select(c => new RetrievedPassage(
            c.GetProperty("id").GetString()!, c.GetProperty("source").GetString()!, c.GetProperty("text").GetString()!))];
    }

    public static bool AnyRetrieved(IReadOnlyList<MetricItem> items) => items.Any(i => Chunks(i.Context) is not null);
}

public sealed record RetrievedPassage(string Id, string Source, string Text);
