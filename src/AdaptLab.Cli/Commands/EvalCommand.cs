using System.CommandLine;
using AdaptLab.Cli.Output;
using AdaptLab.Core.Evaluation;
using AdaptLab.Core.Reports;
using AdaptLab.Core.Tasks;
using Spectre.Console;
using AdaptLab.Core.Evidence;

namespace AdaptLab.Cli.Commands;

/// <summary><c>adaptlab eval TASK</c>: run every variant on the frozen test set, store everything, score, gate.</summary>
internal static class EvalCommand
{
    public static Command Create(CliContext context, GlobalOptions options)
    {
        var task = new Argument<string>("task") { Description = "Task file (adaptlab.yaml)" };
        var resume = new Option<bool>("--resume") { Description = "Continue the newest unfinished run of this task" };
        var noCache = new Option<bool>("--no-cache") { Description = "Call the model even for calls answered before" };
        var variants = new Option<string[]>("--variant") { Description = "Only this variant (repeatable)", AllowMultipleArgumentsPerToken = false };
        var command = new Command("eval", "Evaluate the task's variants and store every prediction and score") { task, resume, noCache, variants };
        command.SetAction(async (parse, ct) =>
        {
            var definition = TaskFileLoader.Load(parse.GetValue(task)!);
            var selected = parse.GetValue(variants) is { Length: > 0 } v ? v : null;
            var unknown = selected?.FirstOrDefault(name => definition.Variants.All(d => d.Name != name));
            if (unknown is not null)
            {
                return CliApp.Fail(context, ExitCodes.BadInput,
                    $"{parse.GetValue(task)}: no variant '{unknown}' (variants: {string.Join(", ", definition.Variants.Select(d => d.Name))})");
            }

            using var store = StoreAccess.Open(parse, options);
            var evalOptions = new EvalOptions(parse.GetValue(resume), !parse.GetValue(noCache), selected);
            EvalOutcome outcome;
            try
            {
                outcome = context.Interactive && !parse.GetValue(options.Json)
                    ? await RunWithProgressAsync(context, store, definition, evalOptions, ct)
                    : await new EvalRunner(store, context.Providers).RunAsync(definition, evalOptions, ct);
            }
            catch (NothingToResumeException e)
            {
                context.Error.WriteLine(e.Message);
                return ExitCodes.Ok;
            }

            var report = ReportBuilder.Build(store, store.FindRun(outcome.RunId)!);
            if (parse.GetValue(options.Json))
            {
                context.Out.Profile.Out.Writer.WriteLine(JsonReport.Render(report with { Items = [] }));
            }
            else
            {
                ConsoleSummary.Write(context.Out, report, outcome);
            }

            var broken = outcome.Variants.FirstOrDefault(s => s.Errors > 0 && s.NewSuccesses == 0);
            if (broken is not null)
            {
                return CliApp.Fail(context, ExitCodes.Infrastructure,
                    $"every call of variant '{broken.Variant}' failed ({broken.Errors}); first error: {broken.FirstError}. " +
                    "Fix the model or endpoint, then `adaptlab eval --resume` retries only the failed items.");
            }

            if (FailedCalls(report, outcome) is { } failedCalls)
            {
                if (definition.Targets.MaxErrorRate is null)
                {
                    return CliApp.Fail(context, ExitCodes.Infrastructure, failedCalls +
                        " Set `targets.max_error_rate` to accept some failures, or run `adaptlab eval --resume` to retry only these items.");
                }

                context.Error.WriteLine("warning: " + failedCalls);
            }

            return report.AllGatesPassed ? ExitCodes.Ok : ExitCodes.GateMissed;
        });
        return command;
    }

    /// <summary>
    /// How many stored calls of the run failed, so a run with failures is never silent. Without a
    /// <c>max_error_rate</c> target any failure fails the command; with one, its gate decides.
    /// </summary>
    private static string? FailedCalls(RunReport report, EvalOutcome outcome)
    {
        var errors = report.Variants.Sum(v => v.Errors);
        if (errors == 0)
        {
            return null;
        }

        var perVariant = string.Join(", ", report.Variants.Where(v => v.Errors > 0).Select(v => $"{v.Name}: {v.Errors} of {v.Items}"));
        var first = outcome.Variants.FirstOrDefault(v => v.FirstError is not null);
        return $"{errors} model call(s) failed and are not scored ({perVariant})" + (first is null ? "." : $"; first error ({first.Variant}): {first.FirstError}.");
    }

    internal static async Task<EvalOutcome> RunWithProgressAsync(
        CliContext context, Core.Store.RunStore store, TaskDefinition definition, EvalOptions options, CancellationToken ct)
    {
        EvalOutcome? outcome = null;
        await context.Out.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                var reporter = new ProgressReporter(update =>
                {
                    lock (tasks)
                    {
                        if (!tasks.TryGetValue(update.Variant, out var bar))
                        {
                            bar = tasks[update.Variant] = progress.AddTask(Markup.Escape(update.Variant), maxValue: update.Total);
                        }

                        bar.Value = update.Done + update.Errors;
                        bar.Description = Markup.Escape(update.Variant) + (update.Errors > 0 ? $" [red]{update.Errors} errors[/]" : string.Empty);
                    }
                });
                outcome = await new EvalRunner(store, context.Providers, reporter).RunAsync(definition, options with { Ingest = new IngestBars(progress) }, ct);
            });
        return outcome!;
    }

    /// <summary>Reports synchronously on the calling thread (Progress&lt;T&gt; would post to the thread pool out of order).</summary>
    private sealed class ProgressReporter(Action<EvalProgress> report) : IProgress<EvalProgress>
    {
        public void Report(EvalProgress value) => report(value);
    }
}
