using System.Diagnostics.CodeAnalysis;
using AdaptLab.Core.Evaluation;
using AdaptLab.Core.Evidence;
using AdaptLab.Core.Models;
using AdaptLab.Core.Store;

namespace AdaptLab;

/// <summary>
/// Runs a task from C#, as <c>adaptlab eval TASK</c> does: every variant on the task's frozen test items, each prediction
/// and score stored, then the report's values, intervals, gates and paired comparisons. For tests, e.g. in xUnit:
/// <code>
/// var run = await AdaptLabEval.RunAsync("adaptlab.yaml", new EvalRunOptions { ChatClients = new Dictionary&lt;string, IChatClient&gt; { ["gpt"] = client } });
/// Assert.True(run.AllGatesPassed);
/// </code>
/// </summary>
public static class AdaptLabEval
{
    private const string OverloadsDiffer =
        "The overloads differ in their first, required parameter (a path, a loaded task), so no call binds to both; options and the token stay optional in each, as .NET's async APIs have them.";

    /// <summary>Loads the task file (<see cref="AdaptLabTask.Load"/>) and runs it.</summary>
    /// <inheritdoc cref="RunAsync(AdaptLabTask, EvalRunOptions?, CancellationToken)"/>
    /// <param name="taskFile">The task file (<c>adaptlab.yaml</c>); relative to the current directory.</param>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = OverloadsDiffer)]
    public static async Task<EvalRun> RunAsync(string taskFile, EvalRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskFile);
        return await RunAsync(AdaptLabTask.Load(taskFile), options, cancellationToken);
    }

    /// <summary>Runs a loaded task: a new run in the store, every selected variant asked for every test item, then scored.</summary>
    /// <param name="task">The task to run.</param>
    /// <param name="options">The store, cache, variants and caller's clients; null for the CLI's defaults.</param>
    /// <param name="cancellationToken">Stops the run; what was answered stays stored (<c>adaptlab eval --resume</c> continues it).</param>
    /// <returns>
    /// The run as the report reads it from the store. Failed model calls do not throw: they count in
    /// <see cref="EvalVariant.Errors"/>, and leave the run not <see cref="EvalRun.IsCompleted"/> beyond the task's
    /// <c>max_error_rate</c>.
    /// </returns>
    /// <exception cref="InputException">Bad input, as the CLI reports it (exit code 2): a task file, dataset, prompt or corpus
    /// that cannot be used, a variant or model name the task does not have, a model that cannot be opened (a missing key);
    /// <see cref="InputException.File"/>, <see cref="InputException.Line"/> and <see cref="InputException.Field"/> say where.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = OverloadsDiffer)]
    public static async Task<EvalRun> RunAsync(AdaptLabTask task, EvalRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        options ??= new EvalRunOptions();
        var definition = task.Definition;
        var variants = options.Variants is { Count: > 0 } names ? names.Select(name => definition.Variant(name).Name).ToList() : null;
        var providers = ModelProviders.CreateDefault();
        foreach (var (name, client) in options.ChatClients ?? new Dictionary<string, Microsoft.Extensions.AI.IChatClient>())
        {
            if (!task.Models.Contains(name))
            {
                throw new InputException(definition.SourcePath, null, "models",
                    $"no model '{name}' to supply a client for (models: {string.Join(", ", task.Models)})");
            }

            providers.Use(name, client ?? throw new ArgumentException($"the client for model '{name}' is null", nameof(options)));
        }

        using var store = RunStore.Open(options.StorePath ?? RunStore.DefaultPath);
        var outcome = await new EvalRunner(store, providers)
            .RunAsync(definition, new EvalOptions(UseCache: options.UseCache, Variants: variants), cancellationToken);
        return EvalRun.From(ReportBuilder.Build(store, store.FindRun(outcome.RunId)!), outcome, store.Path);
    }
}
