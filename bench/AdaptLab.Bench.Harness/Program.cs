using System.Diagnostics;
using System.Globalization;
using System.Text;
using AdaptLab.Core.Evaluation;
using AdaptLab.Core.Models;
using AdaptLab.Core.Store;
using AdaptLab.Core.Tasks;
using Microsoft.Extensions.AI;

// The harness's own cost: a model that answers instantly, so every second measured is AdaptLab's
// (dataset loading, prompt rendering, middleware, the SQLite writes, scoring with intervals).
var items = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
var dir = Directory.CreateTempSubdirectory("adaptlab-bench-");
try
{
    var labels = new[] { "billing", "card", "refund", "transfer", "other" };
    var data = new StringBuilder();
    for (var i = 0; i < items; i++)
    {
        data.Append(CultureInfo.InvariantCulture, $"{{\"id\": \"t{i}\", \"text\": \"customer message number {i} about {labels[i % 5]}\", \"label\": \"{labels[i % 5]}\"}}\n");
    }

    File.WriteAllText(Path.Combine(dir.FullName, "test.jsonl"), data.ToString());
    File.WriteAllText(Path.Combine(dir.FullName, "prompt.liquid"), "Labels: {{ labels | join: \", \" }}\nMessage: {{ input }}\nLabel:");
    File.WriteAllText(Path.Combine(dir.FullName, "adaptlab.yaml"), $$"""
        name: harness-bench
        task: classification
        data: { test: test.jsonl, fields: { id: id, input: text, expected: label } }
        metrics: [accuracy, macro_f1]
        defaults: { model: "openai-compatible:instant", temperature: 0 }
        concurrency: {{concurrency}}
        variants: [{ name: only, prompt: prompt.liquid }]
        """);

    var task = TaskFileLoader.Load(Path.Combine(dir.FullName, "adaptlab.yaml"));
    var providers = new ModelProviders();
    providers.Add(new InstantProvider());
    foreach (var cache in new[] { false, true })
    {
        using var store = RunStore.Open(Path.Combine(dir.FullName, $"runs-{cache}.db"));
        var started = Stopwatch.GetTimestamp();
        var outcome = await new EvalRunner(store, providers).RunAsync(task, new EvalOptions(UseCache: cache));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var stored = store.GetPredictions(outcome.RunId).Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{items} items, concurrency {concurrency}, response cache {(cache ? "on " : "off")}: {seconds:F1} s end to end, {stored / seconds:F0} predictions stored/s"));
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F0} MiB"));
}
finally
{
    dir.Delete(recursive: true);
}

/// <summary>Answers every call at once with the label named in the message (registered under the openai-compatible name the task uses).</summary>
internal sealed class InstantProvider : IModelProvider
{
    public string Name => "openai-compatible";

    public IChatClient Create(ModelSpec spec, ModelReference reference) => new InstantClient();

    private sealed class InstantClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var prompt = messages.Last().Text;
            var label = prompt[(prompt.LastIndexOf("about ", StringComparison.Ordinal) + 6)..prompt.IndexOf("\nLabel:", StringComparison.Ordinal)];
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, label))
            {
                Usage = new UsageDetails { InputTokenCount = prompt.Length / 4, OutputTokenCount = 2 },
            });
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
