using System.Diagnostics;
using System.Globalization;
using AdaptLab.Core.Evaluation;
using AdaptLab.Core.Models;
using AdaptLab.Core.Store;
using AdaptLab.Core.Tasks;
using Microsoft.Extensions.AI;

// The harness's own cost: a model that answers instantly, so every second measured is AdaptLab's (dataset reading,
// prompt rendering, middleware, the SQLite writes, scoring with intervals). Each size and cache setting runs in a child
// process of its own, so the peak memory printed is that run's alone.
//
//   AdaptLab.Bench.Harness [sizes, default 10000,100000,1000000] [concurrency, default 16] [cache settings, default off,on]
if (args is ["--one", var one, var oneConcurrency, var oneCache])
{
    await RunOneAsync(int.Parse(one, CultureInfo.InvariantCulture), int.Parse(oneConcurrency, CultureInfo.InvariantCulture), oneCache == "on");
    return;
}

var sizes = (args.Length > 0 ? args[0] : "10000,100000,1000000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture));
var concurrency = args.Length > 1 ? args[1] : "16";
var caches = (args.Length > 2 ? args[2] : "off,on").Split(',');
Console.WriteLine($"{"items",9} {"cache",5} {"seconds",8} {"predictions/s",14} {"peak RSS MiB",13}");
foreach (var size in sizes)
{
    foreach (var cache in caches)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(Program).Assembly.Location);
        }

        foreach (var arg in new[] { "--one", size.ToString(CultureInfo.InvariantCulture), concurrency, cache })
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start)!;
        var line = (await child.StandardOutput.ReadToEndAsync()).Trim();
        await child.WaitForExitAsync();
        Console.WriteLine(child.ExitCode == 0 ? line : $"{size,9} {cache,5} failed (exit {child.ExitCode})");
    }
}

static async Task RunOneAsync(int items, int concurrency, bool cache)
{
    var dir = Directory.CreateTempSubdirectory("adaptlab-bench-");
    try
    {
        var labels = new[] { "billing", "card", "refund", "transfer", "other" };
        using (var data = new StreamWriter(Path.Combine(dir.FullName, "test.jsonl")))
        {
            for (var i = 0; i < items; i++)
            {
                data.Write(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"id\": \"t{i}\", \"text\": \"customer message number {i} about {labels[i % 5]}\", \"label\": \"{labels[i % 5]}\"}}\n"));
            }
        }

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
        using var store = RunStore.Open(Path.Combine(dir.FullName, "runs.db"));
        var started = Stopwatch.GetTimestamp();
        var outcome = await new EvalRunner(store, providers).RunAsync(task, new EvalOptions(UseCache: cache));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var stored = outcome.Variants.Sum(v => v.NewSuccesses);
        if (stored != items)
        {
            throw new InvalidOperationException($"{stored} of {items} predictions stored");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{items,9} {(cache ? "on" : "off"),5} {seconds,8:F1} {stored / seconds,14:F0} {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024),13:F0}"));
    }
    finally
    {
        dir.Delete(recursive: true);
    }
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
