using System.Collections.Concurrent;
using AdaptLab.Core.Evaluation;
using AdaptLab.Core.Models;
using AdaptLab.Core.Store;
using AdaptLab.Core.Tasks;
using AdaptLab.Tests.Support;
using Microsoft.Extensions.AI;

namespace AdaptLab.Tests.Evaluation;

/// <summary>
/// A classification task without listed labels or a train split offers the test split's labels, which a new run gathers
/// as it stores the split: the whole split's, whatever part of it the run asks, frozen with the run.
/// </summary>
public sealed class TestSplitLabelsTests
{
    // "neutral" only on the last record: a run asking fewer items must still offer it.
    private const string Data = "text,label\nfirst,positive\nsecond,negative\nthird,positive\nfourth,neutral\n";

    [Theory]
    [InlineData("")]
    [InlineData("  sample: { size: 2, seed: 3 }\n")]
    public async Task A_new_run_offers_and_freezes_every_label_of_the_test_split(string sample)
    {
        using var dir = new TempDir();
        var (task, prompts) = Write(dir, sample);
        using var store = RunStore.Open(dir.Path("runs.db"));

        var outcome = await new EvalRunner(store, Providers(prompts)).RunAsync(task, new EvalOptions(UseCache: false));

        var run = store.FindRun(outcome.RunId)!;
        Assert.Equal(["negative", "neutral", "positive"], run.Config.Labels);
        Assert.Equal(sample.Length == 0 ? 4 : 2, run.ItemCount);
        Assert.Equal(run.ItemCount, prompts.Count);
        Assert.All(prompts, p => Assert.StartsWith("Labels: negative, neutral, positive\n", p, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_of_some_items_offers_the_labels_of_all()
    {
        using var dir = new TempDir();
        var (task, prompts) = Write(dir, string.Empty);
        using var store = RunStore.Open(dir.Path("runs.db"));

        var outcome = await new EvalRunner(store, Providers(prompts))
            .RunAsync(task, new EvalOptions(UseCache: false, ItemIds: new HashSet<string> { "0" }));

        Assert.Equal(["negative", "neutral", "positive"], store.FindRun(outcome.RunId)!.Config.Labels);
        Assert.Equal("Labels: negative, neutral, positive\nText: first\nLabel:", Assert.Single(prompts));
    }

    [Fact]
    public async Task Labels_listed_in_the_task_file_are_the_ones_offered()
    {
        // The control: the test split's labels are offered only where the task lists none.
        using var dir = new TempDir();
        var (task, prompts) = Write(dir, string.Empty, "labels: [positive, negative]\n");
        using var store = RunStore.Open(dir.Path("runs.db"));

        var outcome = await new EvalRunner(store, Providers(prompts)).RunAsync(task, new EvalOptions(UseCache: false));

        Assert.Equal(["positive", "negative"], store.FindRun(outcome.RunId)!.Config.Labels);
        Assert.All(prompts, p => Assert.StartsWith("Labels: positive, negative\n", p, StringComparison.Ordinal));
    }

    private static (TaskDefinition Task, ConcurrentBag<string> Prompts) Write(TempDir dir, string sample, string labels = "")
    {
        dir.Write("data/test.csv", Data);
        dir.Write("classify.liquid", "Labels: {{ labels | join: \", \" }}\nText: {{ input }}\nLabel:");
        var file = dir.Write("adaptlab.yaml", $$"""
            name: labels
            task: classification
            {{labels}}data:
              test: data/test.csv
              fields: { input: text, expected: label }
            {{sample}}metrics: [accuracy]
            models:
              scripted: { ref: "openai-compatible:scripted" }
            defaults: { model: scripted }
            variants: [{ name: only, prompt: classify.liquid }]
            """);
        return (TaskFileLoader.Load(file), []);
    }

    private static ModelProviders Providers(ConcurrentBag<string> prompts)
    {
        var providers = ModelProviders.CreateDefault();
        providers.Use("scripted", new Answering(prompts));
        return providers;
    }

    private sealed class Answering(ConcurrentBag<string> prompts) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            prompts.Add(messages.Last().Text);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "positive")));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
