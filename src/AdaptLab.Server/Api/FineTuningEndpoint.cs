using System.Text.Json;
using System.Text.Json.Nodes;
using AdaptLab.Abstractions;
using AdaptLab.Server.FineTuning;
using Microsoft.AspNetCore.Http;

namespace AdaptLab.Server.Api;

/// <summary>
/// OpenAI's fine-tuning jobs API: <c>POST /v1/fine_tuning/jobs</c>, <c>GET /v1/fine_tuning/jobs[/{id}[/events]]</c> and
/// <c>POST /v1/fine_tuning/jobs/{id}/cancel</c>. Training data is validated when the job is created, so a bad line is a
/// 400 naming it rather than a job that fails later.
/// </summary>
internal sealed class FineTuningEndpoint(FineTuningJobs jobs)
{
    private const int AutoEpochs = 3;
    private const int AutoBatchSize = 8;

    public async Task CreateAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        var body = await RequestBody.ReadAsync(http.Request, ct);
        var model = body.RequiredString("model");
        if (model != jobs.BaseModelName)
        {
            throw new ApiException(404, $"This server fine-tunes '{jobs.BaseModelName}', not '{model}'.", "model", "model_not_found");
        }

        var trainingFile = body.RequiredString("training_file");
        var training = Examples(trainingFile, "training_file");
        var validationFile = body.OptionalString("validation_file");
        var validation = validationFile is null ? [] : Examples(validationFile, "validation_file");
        var suffix = body.OptionalString("suffix");
        if (suffix is { Length: > 64 })
        {
            throw ApiException.BadRequest("'suffix' must be at most 64 characters.", "suffix");
        }

        var seed = body.OptionalInteger("seed", 0) is { } s ? (int)Math.Min(s, int.MaxValue) : 0;
        var hyperparameters = Hyperparameters(body, training.Count);
        var job = jobs.Start(trainingFile, training, validationFile, validation, hyperparameters, seed, suffix);
        await Json.WriteAsync(http.Response, 200, JobBody.Of(job), ct);
    }

    public Task ListAsync(HttpContext http)
    {
        var (limit, after) = Page(http);
        var all = jobs.Jobs;
        var start = after is null ? 0 : all.ToList().FindIndex(j => j.Id == after) + 1;
        var page = all.Skip(start).Take(limit).Select(JobBody.Of).ToList();
        return Json.WriteAsync(http.Response, 200, new ListBody<JobBody>(page, start + page.Count < all.Count), http.RequestAborted);
    }

    public Task GetAsync(HttpContext http, string id) => Json.WriteAsync(http.Response, 200, JobBody.Of(Find(id)), http.RequestAborted);

    /// <summary>Newest first, as OpenAI lists them; <c>after</c> continues past an event id.</summary>
    public Task EventsAsync(HttpContext http, string id)
    {
        var (limit, after) = Page(http);
        var events = Find(id).Events.Reverse().ToList();
        var start = after is null ? 0 : events.FindIndex(e => e.Id == after) + 1;
        var page = events.Skip(start).Take(limit).ToList();
        return Json.WriteAsync(http.Response, 200, new ListBody<JobEvent>(page, start + page.Count < events.Count), http.RequestAborted);
    }

    public Task CancelAsync(HttpContext http, string id)
    {
        var job = Find(id);
        if (job.Status is "succeeded" or "failed")
        {
            throw ApiException.BadRequest($"Job {id} has already {job.Status}; only a queued or running job can be cancelled.");
        }

        jobs.Cancel(job);
        return Json.WriteAsync(http.Response, 200, JobBody.Of(job), http.RequestAborted);
    }

    private FineTuningJob Find(string id) => jobs.Job(id) ?? throw new ApiException(404, $"No fine-tuning job '{id}' on this server.", "fine_tuning_job_id", "job_not_found");

    private List<TrainingExample> Examples(string fileId, string field)
    {
        var file = jobs.File(fileId) ?? throw new ApiException(400, $"No file '{fileId}' on this server; upload it to /v1/files first.", field, "invalid_file");
        try
        {
            return TrainingFile.Parse($"{file.Filename} ({file.Id})", File.ReadAllText(file.Path));
        }
        catch (FormatException e)
        {
            throw new ApiException(400, e.Message, field, "invalid_training_file");
        }
    }

    /// <summary>From <c>hyperparameters</c>, or the newer <c>method.supervised.hyperparameters</c>; "auto" takes the default.</summary>
    private static JobHyperparameters Hyperparameters(RequestBody body, int examples)
    {
        var node = body["hyperparameters"] ?? body["method"]?["supervised"]?["hyperparameters"];
        if (node is not null and not JsonObject)
        {
            throw ApiException.BadRequest("'hyperparameters' must be an object.", "hyperparameters");
        }

        var fields = new RequestBody(node as JsonObject ?? []);
        return new JobHyperparameters(
            (int)(Auto(fields, "n_epochs", 1, 1000) ?? AutoEpochs),
            (int)(Auto(fields, "batch_size", 1, 4096) ?? Math.Min(AutoBatchSize, examples)),
            Auto(fields, "learning_rate_multiplier", 0, 100, integer: false) ?? 1.0);
    }

    private static double? Auto(RequestBody fields, string name, double min, double max, bool integer = true)
    {
        if (fields[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == "auto")
        {
            return null;
        }

        var value = integer ? fields.OptionalInteger(name, (long)min) : fields.OptionalNumber(name, min, max, minExclusive: true);
        return value is null || value <= max ? value : throw ApiException.BadRequest($"'hyperparameters.{name}' must be 'auto' or at most {max}.", name);
    }

    private static (int Limit, string? After) Page(HttpContext http)
    {
        var limit = http.Request.Query["limit"].ToString();
        var parsed = limit.Length == 0 ? 20 : int.TryParse(limit, out var n) && n is >= 1 and <= 100 ? n
            : throw ApiException.BadRequest($"'limit' must be an integer from 1 to 100, not '{limit}'.", "limit");
        var after = http.Request.Query["after"].ToString();
        return (parsed, after.Length == 0 ? null : after);
    }
}
