using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdaptLab.Core.Training;

/// <summary>
/// A client for OpenAI's fine-tuning jobs API (api.openai.com, or any server offering it, <c>adaptlab serve
/// --fine-tuning</c> among them): upload a JSONL file, create a job, read its status and events, cancel it.
/// </summary>
/// <remarks>
/// Plain HTTP rather than the OpenAI SDK: its fine-tuning client is marked experimental (OPENAI001) and changes between
/// releases, and these six calls are the whole of what a job needs.
/// </remarks>
internal sealed class FineTuningJobClient(HttpClient http, Uri baseAddress, string apiKey)
{
    /// <returns>The uploaded file's id.</returns>
    public async Task<string> UploadAsync(string path, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("fine-tune"), "purpose");
        var file = new StreamContent(File.OpenRead(path));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/jsonl");
        form.Add(file, "file", Path.GetFileName(path));
        var body = await SendAsync(HttpMethod.Post, "files", form, cancellationToken);
        return (string?)body["id"] ?? throw new FineTuningJobException($"the upload of {path} returned no file id");
    }

    public Task<FineTuningJobStatus> CreateAsync(FineTuningJobRequest request, CancellationToken cancellationToken)
    {
        var hyperparameters = Fields(("n_epochs", request.Epochs), ("batch_size", request.BatchSize), ("learning_rate_multiplier", request.LearningRateMultiplier));
        var body = Fields(("model", request.Model), ("training_file", request.TrainingFile), ("validation_file", request.ValidationFile),
            ("suffix", request.Suffix), ("seed", request.Seed), ("hyperparameters", hyperparameters.Count > 0 ? hyperparameters : null));
        return JobAsync(HttpMethod.Post, "fine_tuning/jobs", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"), cancellationToken);
    }

    public Task<FineTuningJobStatus> GetAsync(string jobId, CancellationToken cancellationToken) =>
        JobAsync(HttpMethod.Get, $"fine_tuning/jobs/{Uri.EscapeDataString(jobId)}", null, cancellationToken);

    public Task<FineTuningJobStatus> CancelAsync(string jobId, CancellationToken cancellationToken) =>
        JobAsync(HttpMethod.Post, $"fine_tuning/jobs/{Uri.EscapeDataString(jobId)}/cancel", null, cancellationToken);

    /// <summary>The job's events after <paramref name="afterId"/> (all when null), oldest first.</summary>
    public async Task<IReadOnlyList<FineTuningJobEvent>> EventsAsync(string jobId, string? afterId, CancellationToken cancellationToken)
    {
        // The API pages newest first; reading back to the last event seen gives the new ones.
        var events = new List<FineTuningJobEvent>();
        string? cursor = null;
        while (true)
        {
            var query = $"fine_tuning/jobs/{Uri.EscapeDataString(jobId)}/events?limit=100" + (cursor is null ? "" : $"&after={Uri.EscapeDataString(cursor)}");
            var page = await SendAsync(HttpMethod.Get, query, null, cancellationToken);
            var data = page["data"]?.AsArray() ?? [];
            foreach (var item in data)
            {
                var id = (string)item!["id"]!;
                if (id == afterId)
                {
                    events.Reverse();
                    return events;
                }

                events.Add(new FineTuningJobEvent(id, (string?)item["level"] ?? "info", (string?)item["message"] ?? "", (long?)item["created_at"] ?? 0));
            }

            if (data.Count == 0 || (bool?)page["has_more"] != true)
            {
                events.Reverse();
                return events;
            }

            cursor = (string)data[^1]!["id"]!;
        }
    }

    /// <summary>A JSON object of the fields that have a value (the API's defaults stand for the others).</summary>
    private static JsonObject Fields(params (string Name, object? Value)[] fields) =>
        new(fields.Where(f => f.Value is not null).Select(f => KeyValuePair.Create(f.Name, f.Value switch
        {
            JsonNode node => node,
            string text => JsonValue.Create(text),
            int number => JsonValue.Create(number),
            double number => (JsonNode?)JsonValue.Create(number),
            _ => throw new ArgumentException($"{f.Name}: no JSON for a {f.Value!.GetType().Name}"),
        })));

    private async Task<FineTuningJobStatus> JobAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        var body = await SendAsync(method, path, content, cancellationToken);
        return new FineTuningJobStatus(
            (string)body["id"]!, (string?)body["status"] ?? "unknown", (string?)body["model"] ?? "", (string?)body["fine_tuned_model"],
            (long?)body["trained_tokens"], (string?)body["error"]?["message"]);
    }

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(baseAddress.AbsoluteUri.TrimEnd('/') + "/" + path)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonNode? body = null;
        try
        {
            body = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            // Reported below with the status.
        }

        return response.IsSuccessStatusCode && body is not null
            ? body
            : throw new FineTuningJobException($"{method} {path}: {(int)response.StatusCode} {(string?)body?["error"]?["message"] ?? text}");
    }
}

internal sealed record FineTuningJobRequest(
    string Model, string TrainingFile, string? ValidationFile = null, int? Epochs = null, int? BatchSize = null, double? LearningRateMultiplier = null,
    string? Suffix = null, int? Seed = null);

internal sealed record FineTuningJobStatus(string Id, string Status, string Model, string? FineTunedModel, long? TrainedTokens, string? Error)
{
    public bool IsFinished => Status is "succeeded" or "failed" or "cancelled";
}

internal sealed record FineTuningJobEvent(string Id, string Level, string Message, long CreatedAt);

/// <summary>The jobs API refused a call or answered with something else than its JSON.</summary>
internal sealed class FineTuningJobException(string message) : Exception(message);
