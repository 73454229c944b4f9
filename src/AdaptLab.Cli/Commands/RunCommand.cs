using System.CommandLine;
using System.Globalization;
using AdaptLab.Abstractions;
using AdaptLab.Cli.Output;
using AdaptLab.Core.Decision;
using AdaptLab.Core.Evaluation;
using AdaptLab.Core.Ladder;
using AdaptLab.Core.Reports;
using AdaptLab.Core.Tasks;
using Spectre.Console;

namespace AdaptLab.Cli.Commands;

/// <summary><c>adaptlab run TASK</c>: climb the ladder (prompt, few-shot, RAG, fine-tuned, fine-tuned + RAG), diagnose, recommend.</summary>
internal static class RunCommand
{
    public static Command Create(CliContext context, GlobalOptions options)
    {
        var task = new Argument<string>("task") { Description = "Task file (adaptlab.yaml)" };
        var all = new Option<bool>("--all") { Description = "Measure every rung, not only up to the first that meets the targets" };
        var resume = new Option<bool>("--resume") { Description = "Continue the task's newest unfinished study where it stopped" };
        var html = new Option<string?>("--html") { Description = "Also write the study's HTML report here" };
        var markdown = new Option<string?>("--md") { Description = "Also write the study's Markdown report here" };
        var command = new Command("run", "Climb the ladder on the same frozen items, find why items fail, and recommend prompting, RAG or fine-tuning")
        {
            task, all, resume, html, markdown,
        };
        command.SetAction(async (parse, ct) =>
        {
            var definition = TaskFileLoader.Load(parse.GetValue(task)!);
            using var store = StoreAccess.Open(parse, options);
            var ladder = new LadderOptions(parse.GetValue(all), parse.GetValue(resume));
            StudyReport report;
            try
            {
                report = context.Interactive && !parse.GetValue(options.Json)
                    ? await ClimbWithProgressAsync(context, store, definition, ladder, ct)
                    : await new LadderRunner(store, context.Providers).RunAsync(definition, ladder with { Rungs = new RungLog(context.Error) }, ct);
            }
            catch (NothingToResumeException e)
            {
                context.Error.WriteLine(e.Message.Replace("run", "study", StringComparison.Ordinal));
                return ExitCodes.Ok;
            }
            catch (LadderIncompleteException e)
            {
                return CliApp.Fail(context, ExitCodes.Infrastructure, e.Message);
            }

            StudyCommand.WriteFiles(context, report, parse.GetValue(html), parse.GetValue(markdown), quiet: parse.GetValue(options.Json));
            if (parse.GetValue(options.Json))
            {
                context.Out.Profile.Out.Writer.WriteLine(StudyCommand.Json(report));
            }
            else
            {
                StudySummary.Write(context.Out, report);
            }

            return report.Recommendation.Outcome == Outcome.NoneMeetsTargets ? ExitCodes.GateMissed : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>One progress view for the whole climb: a bar per rung's calls, one for training, one for the probes.</summary>
    private static async Task<StudyReport> ClimbWithProgressAsync(CliContext context, Core.Store.RunStore store, TaskDefinition definition, LadderOptions ladder, CancellationToken ct)
    {
        StudyReport? report = null;
        await context.Out.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var bars = new Dictionary<string, ProgressTask>();
                ProgressTask Bar(string name, double max)
                {
                    lock (bars)
                    {
                        return bars.TryGetValue(name, out var bar) ? bar : bars[name] = progress.AddTask(Markup.Escape(name), maxValue: max);
                    }
                }

                var reporter = ladder with
                {
                    Rungs = new Sync<RungUpdate>(u =>
                    {
                        if (u.Step is RungStep.Skipped)
                        {
                            context.Out.MarkupLineInterpolated($"[grey]{u.Rung} skipped: {u.Reason}[/]");
                        }
                    }),
                    Eval = new Sync<EvalProgress>(u =>
                    {
                        var bar = Bar(u.Variant, u.Total);
                        bar.Value = u.Done + u.Errors;
                    }),
                    Training = new Sync<TrainingProgress>(p =>
                    {
                        var bar = Bar("training", p.Steps);
                        bar.Value = p.Step;
                        bar.Description = string.Create(CultureInfo.InvariantCulture, $"training: loss {p.Loss:F3}, {p.TokensPerSecond:F0} tokens/s");
                    }),
                    Ingest = new IngestBars(progress),
                };
                report = await new LadderRunner(store, context.Providers).RunAsync(definition, reporter, ct);
            });
        return report!;
    }

    /// <summary>Reports on the calling thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Sync<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    /// <summary>Without a terminal: one line on stderr per rung as it is measured or skipped.</summary>
    private sealed class RungLog(TextWriter error) : IProgress<RungUpdate>
    {
        public void Report(RungUpdate value)
        {
            if (value.Step is RungStep.Measured or RungStep.Skipped)
            {
                error.WriteLine($"{value.Rung}: {StudyText.Step(value.Step)}{(value.Reason is null ? string.Empty : " (" + value.Reason + ")")}");
            }
        }
    }
}
