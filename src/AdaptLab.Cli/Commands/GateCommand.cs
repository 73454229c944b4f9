using System.CommandLine;
using System.Text.Json;
using AdaptLab.Core.Reports;
using AdaptLab.Core.Store;
using Spectre.Console;
using AdaptLab.Core.Evidence;

namespace AdaptLab.Cli.Commands;

/// <summary>
/// <c>adaptlab gate [RUN] --baseline RUN|LABEL</c>: for CI. Exit 1 when a target is missed or a metric is significantly
/// worse than the baseline (by default the task's <c>production</c> label); JUnit XML and Markdown for the CI system.
/// </summary>
internal static class GateCommand
{
    public const string DefaultLabel = "production";

    public static Command Create(CliContext context, GlobalOptions options)
    {
        var run = new Argument<string>("run") { Description = "The candidate run (id, prefix or 'latest')", DefaultValueFactory = _ => "latest" };
        var baseline = new Option<string?>("--baseline") { Description = $"A run, or a label of the run's task (default: {DefaultLabel}, when the task has it)" };
        var junit = new Option<string?>("--junit") { Description = "Write JUnit XML here (a test case per check)" };
        var markdown = new Option<string?>("--md") { Description = "Write a Markdown summary here (e.g. $GITHUB_STEP_SUMMARY)" };
        var command = new Command("gate", "Fail (exit 1) when a run misses a target or is significantly worse than its baseline") { run, baseline, junit, markdown };
        command.SetAction(parse =>
        {
            using var store = StoreAccess.Open(parse, options);
            var candidate = StoreAccess.FindRun(store, parse.GetValue(run)!);
            var (baselineRun, label) = Baseline(store, candidate, parse.GetValue(baseline));
            var outcome = GateEvaluator.Evaluate(store, candidate, baselineRun, label);
            if (parse.GetValue(junit) is { } junitPath)
            {
                AtomicFile.Write(junitPath, GateReports.JUnit(outcome));
            }

            if (parse.GetValue(markdown) is { } mdPath)
            {
                AtomicFile.Write(mdPath, GateReports.Markdown(outcome));
            }

            if (parse.GetValue(options.Json))
            {
                context.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(
                    new GateJson(outcome.Passed, candidate.Id, baselineRun?.Id, label, outcome.Checks), JsonReport.Options));
            }
            else
            {
                Write(context, outcome);
            }

            return outcome.Passed ? ExitCodes.Ok : ExitCodes.GateMissed;
        });
        return command;
    }

    /// <summary>The run a label or id names; without one, the task's production label if it has one.</summary>
    private static (RunInfo? Run, string? Label) Baseline(RunStore store, RunInfo candidate, string? given)
    {
        var label = store.CurrentLabel(candidate.TaskName, given ?? DefaultLabel);
        if (label is not null)
        {
            return (store.FindRun(label.RunId), given ?? DefaultLabel);
        }

        return given is null
            ? (null, null)
            : (store.FindRun(given) ?? throw new InputException(store.Path, null, "--baseline",
                $"'{given}' is neither a run nor a label of task '{candidate.TaskName}' (see `adaptlab runs` and `adaptlab label list`)"), null);
    }

    private static void Write(CliContext context, GateOutcome outcome)
    {
        foreach (var check in outcome.Checks.Where(c => !c.Passed))
        {
            context.Out.MarkupLineInterpolated($"[red]FAIL[/] {check.Name}: {check.Detail}");
        }

        var against = outcome.Baseline is { } b ? $" against {b.Id}{(outcome.BaselineLabel is { } l ? $" ({l})" : string.Empty)}" : " (no baseline: targets only)";
        if (outcome.Passed)
        {
            context.Out.MarkupLineInterpolated($"[green]gate passed[/]: {outcome.Checks.Count} checks of run {outcome.Candidate.Id}{against}");
        }
        else
        {
            context.Out.MarkupLineInterpolated($"[red]gate failed[/]: {outcome.Checks.Count(c => !c.Passed)} of {outcome.Checks.Count} checks of run {outcome.Candidate.Id}{against}");
        }
    }
}

/// <summary>What <c>gate --json</c> prints; the baseline and its label are left out when there is none.</summary>
internal sealed record GateJson(bool Passed, string Run, string? Baseline, string? BaselineLabel, IReadOnlyList<GateCheck> Checks);
