using System.Text.Json;
using System.Threading.Channels;
using AdaptLab.Core.Models;
using AdaptLab.Core.Models.Pipeline;
using AdaptLab.Core.Prompts;
using AdaptLab.Core.Store;
using AdaptLab.Core.Tasks;
using AdaptLab.Core.Variants;
using Microsoft.Extensions.AI;
using AdaptLab.Core.Items;
using AdaptLab.Core.Scoring;
using AdaptLab.Core.Prediction;

namespace AdaptLab.Core.Evaluation;

/// <summary>
/// Runs every variant of a task over the frozen test items and stores each prediction as it arrives,
/// then scores the run. Items that already have a successful prediction are never asked again, which
/// is what makes <c>--resume</c> after a crash lose nothing and repeat nothing.
/// </summary>
internal sealed class EvalRunner(RunStore store, ModelProviders providers, IProgress<EvalProgress>? progress = null)
{
    public async Task<EvalOutcome> RunAsync(TaskDefinition task, EvalOptions options, CancellationToken cancellationToken = default)
    {
        var run = options.RunId is { } runId ? store.FindRun(runId) ?? throw new InvalidOperationException($"run {runId} is not in the store")
            : options.Resume ? ResumableRun(task) ?? throw new NothingToResumeException(task.SourcePath) : null;

        // Models are opened before a run is created, so a missing key or model file leaves no empty run behind.
        var selected = task.Variants.Where(v => options.Variants is null || options.Variants.Contains(v.Name)).ToList();

        // A new run gathers the test split's labels as it stores the split's items, rather than reading the split twice;
        // a few-shot search needs them before.
        var labels = run is null && LabelSet.FromTestSplit(task) && !selected.Any(s => s.Shots?.Select == ShotSelection.Search)
            ? null
            : LabelSet.Resolve(task);
        var clients = new Dictionary<string, IChatClient>();
        var frozen = new Dictionary<string, FrozenVariant>();
        var searched = new Dictionary<string, ShotSearchResult>();
        var searchCalls = new List<VariantCallStats>();
        using var corpus = await TaskCorpus.OpenAsync(task, providers, selected, options.Ingest, cancellationToken);
        using var pipelines = VariantPipelines.Open(task, providers, selected, corpus: corpus);
        try
        {
            IReadOnlyCollection<(string Id, string Input)>? testItems = null;
            foreach (var spec in selected)
            {
                var model = OpenModel(task, spec);
                var promptHash = ChatPrompt.Load(spec.PromptPath).Hash;
                var modelIdentity = VariantIdentity.Model(spec.Model, model);
                var pipeline = pipelines.PipelineJson(spec, model);
                var identity = VariantIdentity.Compute(promptHash, spec.System, pipeline, modelIdentity, ParametersJson(spec));
                clients[spec.Name] = ModelPipeline.Build(model, new ModelPipelineOptions(
                    identity, new SqliteResponseCache(store, read: options.UseCache), RemoteCallOptions.For(spec.Model, task.Concurrency)));
                var truncate = FieldTruncation.For(task.Data.Truncate, clients[spec.Name], task.SourcePath, spec.Name);
                if (spec.Shots?.Select == ShotSelection.Search)
                {
                    // The search's own calls are cached under the settings' identity; the variant's recorded identity adds
                    // what it chose. Test calls show the chosen examples, so their cache keys follow the choice too.
                    testItems ??= run is null
                        ? [.. RunFactory.Sample(task).Select(i => (i.Id, i.Input))]
                        : [.. store.GetItems(run.Id).Select(i => (i.Id, i.Input))];
                    var excluded = testItems.Concat(pipelines.Dev.Items.Select(i => (i.Id, i.Input))).ToList();
                    var calls = new VariantCallStats(spec.Name, 0, 0);
                    searchCalls.Add(calls);
                    var search = await ShotSearch.RunAsync(task, spec, clients[spec.Name], pipelines, pipelines.Dev, excluded, labels,
                        truncate, calls, progress, cancellationToken);
                    searched[spec.Name] = search;
                    pipeline = pipelines.PipelineJson(spec, model, search);
                    identity = VariantIdentity.Compute(promptHash, spec.System, pipeline, modelIdentity, ParametersJson(spec));
                }

                frozen[spec.Name] = new FrozenVariant(pipeline, identity);
            }

            if (run is not null)
            {
                CheckUnchanged(run, frozen);
                store.SetIdentities(run.Id, frozen.ToDictionary(f => f.Key, f => (f.Value.Pipeline, f.Value.Identity)));
            }

            var withShots = selected.Where(spec => spec.Shots is not null).ToList();
            run ??= RunFactory.Create(store, task, labels, frozen,
                withShots.Count == 0 ? null : test => withShots.ForEach(spec => pipelines.Check(spec, test)), options.ItemIds, options.RegisterAll);
            labels ??= run.Config.Labels;
            options.Started?.Invoke(run.Id);
            using var lease = RunLease.Take(store, run.Id, task.SourcePath);
            var stats = new List<VariantCallStats>();
            foreach (var variant in store.GetVariants(run.Id).Where(v => clients.ContainsKey(v.Name)))
            {
                var spec = task.Variants.Single(v => v.Name == variant.Name);
                var effective = searched.TryGetValue(spec.Name, out var chosen)
                    ? spec with { Shots = spec.Shots! with { Select = ShotSelection.Fixed, Ids = chosen.Chosen, K = chosen.Chosen.Count } }
                    : spec;
                stats.Add(await RunVariantAsync(run, task, effective, variant, clients[spec.Name], pipelines, labels, cancellationToken));
            }

            Finish(run, stats);
            return new EvalOutcome(run.Id, stats) { Searches = searchCalls };
        }
        finally
        {
            foreach (var client in clients.Values)
            {
                client.Dispose();
            }
        }
    }

    /// <summary>A resumed run must ask the same questions of the same model: a changed step, train split or model file is a new run.</summary>
    private void CheckUnchanged(RunInfo run, IReadOnlyDictionary<string, FrozenVariant> frozen)
    {
        foreach (var variant in store.GetVariants(run.Id).Where(v => v.Identity is not null && frozen.ContainsKey(v.Name)))
        {
            if (frozen[variant.Name].Identity != variant.Identity)
            {
                throw new InputException(run.TaskPath, null, $"variants.{variant.Name}",
                    $"the variant changed since run {run.Id} started (its few-shot settings, train split or model files); " +
                    "run without --resume to start a new run");
            }
        }
    }

    /// <param name="ran">The variants asked in this invocation: those with new answers, or never scored, are scored now.</param>
    private void Finish(RunInfo run, IReadOnlyList<VariantCallStats> ran)
    {
        Scorer.Score(store, run, [.. ran.Where(v => v.NewSuccesses > 0 || !store.IsScored(run.Id, v.Variant)).Select(v => v.Variant)]);

        // A run with failed calls stays unfinished, so `--resume` retries exactly those items, unless every item was asked
        // and the task accepts that many failures (targets.max_error_rate): then it is complete, for eval and gate alike.
        var counts = store.PredictionCounts(run.Id);
        var accepted = store.GetVariants(run.Id).All(v => counts.TryGetValue(v.Name, out var c) && c.Predictions == run.ItemCount &&
            (c.Errors == 0 || (double)c.Errors / run.ItemCount <= run.Config.MaxErrorRate));
        if (accepted)
        {
            store.CompleteRun(run.Id);
        }
    }

    private RunInfo? ResumableRun(TaskDefinition task)
    {
        var run = store.FindUnfinishedRun(task.SourcePath);
        if (run is null)
        {
            return null;
        }

        if (run.TaskHash != PromptTemplate.Sha256(File.ReadAllText(task.SourcePath)))
        {
            throw new InputException(task.SourcePath, null, null,
                $"the task file changed since run {run.Id} started; run without --resume to start a new run");
        }

        foreach (var variant in store.GetVariants(run.Id))
        {
            var spec = task.Variants.Single(v => v.Name == variant.Name);
            if (ChatPrompt.Load(spec.PromptPath).Hash != variant.PromptHash)
            {
                throw new InputException(spec.PromptPath, null, null,
                    $"the prompt of variant '{variant.Name}' changed since run {run.Id} started; run without --resume to start a new run");
            }
        }

        return run;
    }

    private async Task<VariantCallStats> RunVariantAsync(
        RunInfo run, TaskDefinition task, VariantSpec spec, VariantInfo variant, IChatClient client, VariantPipelines pipelines,
        IReadOnlyList<string>? labels, CancellationToken cancellationToken)
    {
        var done = store.PredictionCounts(run.Id).TryGetValue(variant.Name, out var counts) ? counts.Predictions - counts.Errors : 0;
        var counter = new VariantCallStats(variant.Name, run.ItemCount, done);
        progress?.Report(new EvalProgress(variant.Name, done, run.ItemCount, 0));
        if (done == run.ItemCount)
        {
            return counter;
        }

        var truncated = FieldTruncation.For(task.Data.Truncate, client, task.SourcePath, variant.Name);
        // Examples are never test items; only a variant with examples needs to know them all.
        IReadOnlyCollection<(string Id, string Input)> testItems = spec.Shots is null ? [] : [.. store.GetItems(run.Id).Select(i => (i.Id, i.Input))];
        using var pipeline = pipelines.Create(spec, ChatPrompt.Parse(variant.PromptPath, variant.PromptText), labels, testItems, truncated, client);
        var predictor = new Predictor(client, spec, run.Config);
        // Bounded, so callers wait for a writer that falls behind instead of queueing answers without end.
        var channel = Channel.CreateBounded<PredictionRecord>(new BoundedChannelOptions(4 * WriteBatch) { SingleReader = true });
        var writer = Task.Run(() => WriteAsync(run.Id, channel), CancellationToken.None);
        try
        {
            await Parallel.ForEachAsync(
                store.PendingItems(run.Id, variant.Name),
                new ParallelOptions { MaxDegreeOfParallelism = task.Concurrency, CancellationToken = cancellationToken },
                async (item, ct) =>
                {
                    var prediction = await predictor.PredictAsync(await pipeline.PrepareAsync(item, ct), item.Index, ct);
                    counter.Record(prediction);
                    await channel.Writer.WriteAsync(prediction, ct);
                    progress?.Report(new EvalProgress(variant.Name, counter.Done, run.ItemCount, counter.Errors));
                });
        }
        finally
        {
            channel.Writer.TryComplete();
            await writer;
        }

        return counter;
    }

    private IChatClient OpenModel(TaskDefinition task, VariantSpec spec)
    {
        try
        {
            return providers.Create(spec);
        }
        catch (InvalidOperationException e)
        {
            throw new InputException(task.SourcePath, null, $"variants.{spec.Name}.model", e.Message);
        }
    }

    private const int WriteBatch = 512;

    /// <summary>Single writer: commits whatever has arrived as one transaction, so throughput grows with load.</summary>
    /// <remarks>A writer that fails closes the channel, so callers waiting for room fail too instead of waiting for ever.</remarks>
    private async Task WriteAsync(string runId, Channel<PredictionRecord> channel)
    {
        var batch = new List<PredictionRecord>();
        try
        {
            while (await channel.Reader.WaitToReadAsync())
            {
                while (batch.Count < WriteBatch && channel.Reader.TryRead(out var p))
                {
                    batch.Add(p);
                }

                store.SavePredictions(runId, batch);
                batch.Clear();
            }
        }
        catch (Exception e)
        {
            channel.Writer.TryComplete(e);
            throw;
        }
    }

    internal static string ParametersJson(VariantSpec spec) => JsonSerializer.Serialize(spec.Generation);
}

/// <summary><c>--resume</c> found no unfinished run of the task: nothing was started.</summary>
internal sealed class NothingToResumeException(string taskPath)
    : Exception($"nothing to resume: every run of {taskPath} is complete; run without --resume to start a new one");

/// <summary>A variant's steps configuration and identity, computed before the run and frozen with it.</summary>
internal sealed record FrozenVariant(string Pipeline, string Identity);

internal sealed record EvalOutcome(string RunId, IReadOnlyList<VariantCallStats> Variants)
{
    /// <summary>The calls of each variant's few-shot search on the dev split (select: search), before its test items.</summary>
    public IReadOnlyList<VariantCallStats> Searches { get; init; } = [];
}

/// <summary>Counts of one variant's calls in this invocation (thread-safe).</summary>
internal sealed class VariantCallStats(string variant, int total, int alreadyDone)
{
    private int done = alreadyDone;
    private int errors;
    private int modelCalls;
    private int cacheHits;
    private string? firstError;

    public string Variant { get; } = variant;

    public int Total { get; } = total;

    public int Done => done;

    public int Errors => errors;

    /// <summary>Calls that reached the model (not answered from the cache), failed ones included.</summary>
    public int ModelCalls => modelCalls;

    /// <summary>Successful answers of this invocation taken from the response cache.</summary>
    public int CacheHits => cacheHits;

    /// <summary>Calls made in this invocation that succeeded, from the model or the cache.</summary>
    public int NewSuccesses => done - AlreadyDone;

    public int AlreadyDone { get; } = alreadyDone;

    public string? FirstError => firstError;

    internal void Record(PredictionRecord p) => Record(p.Error, p.Cached);

    /// <param name="error">Why the call failed; null for an answer.</param>
    /// <param name="cached">The answer came from the response cache, not the model.</param>
    internal void Record(string? error, bool cached)
    {
        if (error is null)
        {
            Interlocked.Increment(ref done);
            if (cached)
            {
                Interlocked.Increment(ref cacheHits);
            }
        }
        else
        {
            Interlocked.Increment(ref errors);
            Interlocked.CompareExchange(ref firstError, error, null);
        }

        if (!cached)
        {
            Interlocked.Increment(ref modelCalls);
        }
    }
}
