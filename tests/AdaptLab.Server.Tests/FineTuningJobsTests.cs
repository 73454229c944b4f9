using System.Text.Json.Nodes;
using AdaptLab.Cli;
using AdaptLab.Core.Store;
using AdaptLab.Core.Training;
using AdaptLab.Tests.Support;

namespace AdaptLab.Server.Tests;

/// <summary>
/// OpenAI's fine-tuning jobs API end to end on 127.0.0.1: <c>adaptlab finetune-job</c> (the client) against <c>adaptlab serve
/// --fine-tuning</c> (the in-process trainer), then the tuned model evaluated through the same server.
/// </summary>
[Collection(ServedStoriesWithJobsCollection.Name)]
public sealed class FineTuningJobsTests(ServedStoriesWithJobs served) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("adaptlab-jobs-test-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task A_job_trains_the_served_model_and_the_tuned_model_it_serves_beats_the_base_on_the_same_items()
    {
        var store = Path.Combine(folder, "runs.db");
        var task = WriteTask("base: { ref: \"openai-compatible:" + ServedStories.Name + "\", endpoint: \"" + served.Endpoint + "\" }");

        var job = await Cli.RunAsync("finetune-job", task, "--variant", "served", "--epochs", "2", "--batch", "16", "--poll", "0.2", "--json", "--store", store);

        Assert.True(job.Code == 0, job.Output + job.Error);
        var result = JsonNode.Parse(job.Output)!;
        Assert.Equal("succeeded", (string)result["job"]!["status"]!);
        var tuned = (string)result["reference"]!;
        Assert.StartsWith("openai-compatible:ft:stories:", tuned, StringComparison.Ordinal);
        Assert.Contains("Step 50/50: training loss=", job.Error, StringComparison.Ordinal); // 400 examples, 2 epochs of 16: the events came through
        Assert.Contains("The job has successfully completed", job.Error, StringComparison.Ordinal);

        var compare = WriteTask(
            "base: { ref: \"openai-compatible:" + ServedStories.Name + "\", endpoint: \"" + served.Endpoint + "\" }\n" +
            "  tuned: { ref: \"" + tuned + "\", endpoint: \"" + served.Endpoint + "\" }",
            "  - { name: tuned, model: tuned, prompt: " + Prompt + " }\n");
        var eval = await Cli.RunAsync("eval", compare, "--store", store);

        Assert.True(eval.Code is ExitCodes.Ok or ExitCodes.GateMissed, eval.Output + eval.Error);
        using var runs = RunStore.Open(store);
        var results = runs.GetMetricResults(runs.FindRun("latest")!.Id).ToDictionary(r => r.Variant);
        Assert.True(results["tuned"].Lower > results["served"].Upper, $"tuned {results["tuned"].Value} vs base {results["served"].Value}");
        var card = Assert.Single(runs.GetTrainedModels());
        Assert.Equal(tuned, card.Path);
        Assert.Equal("provider-job", (string)JsonNode.Parse(card.Record)!["method"]!);
        var models = await Cli.RunAsync("models", "--store", store);
        Assert.True(models.Code == 0, models.Output + models.Error);
        Assert.Contains("provider job", models.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_files_unknown_models_and_cancelled_jobs_are_answered_as_OpenAI_does()
    {
        var client = new FineTuningJobClient(served.Http, new Uri(served.Endpoint), "unused");
        var bad = Path.Combine(folder, "bad.jsonl");
        File.WriteAllLines(bad, ["""{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}""", """{"messages": [{"role": "user", "content": "no reply"}]}"""]);
        var badId = await client.UploadAsync(bad, default);

        var refused = await Assert.ThrowsAsync<FineTuningJobException>(() => client.CreateAsync(new FineTuningJobRequest(ServedStories.Name, badId), default));
        Assert.Contains("line 2", refused.Message, StringComparison.Ordinal);
        Assert.Contains("400", refused.Message, StringComparison.Ordinal);
        var unknown = await Assert.ThrowsAsync<FineTuningJobException>(() => client.CreateAsync(new FineTuningJobRequest("gpt-4o", badId), default));
        Assert.Contains("404", unknown.Message, StringComparison.Ordinal);

        var good = Path.Combine(folder, "good.jsonl");
        File.WriteAllLines(good, Enumerable.Range(0, 32).Select(i => $$"""{"messages": [{"role": "user", "content": "Tom had a dog named Rex{{i}}. The dog's name was"}, {"role": "assistant", "content": "Rex{{i}}"}]}"""));
        var goodId = await client.UploadAsync(good, default);
        var job = await client.CreateAsync(new FineTuningJobRequest(ServedStories.Name, goodId, Epochs: 1000, BatchSize: 4), default);
        await WaitForAsync(client, job.Id, "Step 2/");

        var cancelled = await client.CancelAsync(job.Id, default);

        Assert.Equal("cancelled", cancelled.Status);
        Assert.Equal("cancelled", (await client.GetAsync(job.Id, default)).Status);
        Assert.Contains(await client.EventsAsync(job.Id, null, default), e => e.Message == "Fine-tuning job cancelled");
        Assert.Null((await client.GetAsync(job.Id, default)).FineTunedModel);
        var again = await Assert.ThrowsAsync<FineTuningJobException>(() => client.GetAsync("ftjob-nothere", default));
        Assert.Contains("404", again.Message, StringComparison.Ordinal);
    }

    private const string Prompt = "prompts/fact-in-context.liquid";

    private string WriteTask(string models, string moreVariants = "")
    {
        var example = RepoPaths.Path("examples", "pet-names");
        Directory.CreateDirectory(Path.Combine(folder, "prompts"));
        File.Copy(Path.Combine(example, Prompt), Path.Combine(folder, Prompt), overwrite: true);
        var path = Path.Combine(folder, $"task-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, $$"""
            name: pets-job
            task: qa
            data:
              train: {{Path.Combine(example, "train.jsonl")}}
              test: {{Path.Combine(example, "facts.jsonl")}}
              fields: { id: id, input: question, expected: answer, extra: { fact: fact } }
            metrics: [exact_match]
            models:
              {{models}}
            defaults: { temperature: 0, max_tokens: 8, stop: [".", ",", "!", "\n"] }
            concurrency: 4
            variants:
              - { name: served, model: base, prompt: {{Prompt}} }
            {{moreVariants}}
            """);
        return path;
    }

    private static async Task WaitForAsync(FineTuningJobClient client, string jobId, string message)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await client.EventsAsync(jobId, null, default)).Any(e => e.Message.StartsWith(message, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no '{message}' event within 60 s");
            await Task.Delay(100);
        }
    }
}
